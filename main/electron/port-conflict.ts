/**
 * Starting the mesh when a port it wants is taken: a dialog names the program holding it and
 * offers a free port nearby, another try, or quitting. The flow is a plain async function with
 * the dialog and the start injected, so it runs against a real Mesh in tests without Electron.
 * It loops until the mesh starts or the user quits: every answer is the user's, so there is no
 * retry limit to hit, and a port that gets taken between the offer and the bind (a race with
 * another program) simply produces the next dialog.
 */
import { PortInUseError } from '../mesh/index.js';

export interface Ports {
  proxyPort: number;
  adminPort: number;
}

export type ConflictAnswer = { kind: 'use-port'; port: number } | { kind: 'retry' } | { kind: 'quit' };

/** Options for Electron's dialog.showMessageBox, plus what each button means. */
export interface ConflictPrompt {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  answers: ConflictAnswer[];
}

const ROLE_NAMES: Record<string, string> = { proxy: 'proxy', admin: 'dashboard and admin API' };

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function conflictPrompt(error: PortInUseError, offeredPort: number | null): ConflictPrompt {
  const role = ROLE_NAMES[error.role] ?? error.role;
  const holder = error.holder ? `${error.holder.command} (pid ${error.holder.pid})` : 'another program';
  const consequence =
    error.role === 'proxy'
      ? `Your shells' http_proxy must then point to http://${urlHost(error.host)}:${offeredPort}.`
      : `The dashboard will then be at http://${urlHost(error.host)}:${offeredPort}.`;
  const detail = [
    `Meshdesk's ${role} cannot listen on ${urlHost(error.host)}:${error.port}.`,
    offeredPort === null
      ? 'Stop that program and try again.'
      : `Stop that program and try again, or use port ${offeredPort} instead. ${consequence} The choice is remembered.`,
  ].join(' ');
  const answers: ConflictAnswer[] = [...(offeredPort === null ? [] : [{ kind: 'use-port' as const, port: offeredPort }]), { kind: 'retry' }, { kind: 'quit' }];
  const buttons = answers.map((answer) => (answer.kind === 'use-port' ? `Use port ${answer.port}` : answer.kind === 'retry' ? 'Try again' : 'Quit Meshdesk'));
  return {
    type: 'warning',
    title: 'Port in use',
    message: `The ${role} port ${error.port} is in use by ${holder}.`,
    detail,
    buttons,
    defaultId: 0,
    cancelId: answers.length - 1,
    answers,
  };
}

export interface ConflictDeps<Started> {
  start(ports: Ports): Promise<Started>;
  /** Shows the prompt; resolves with the index of the button pressed. */
  ask(prompt: ConflictPrompt): Promise<number>;
  /** A port near `port` that is free right now, or null. */
  freePortNear(host: string, port: number): Promise<number | null>;
}

export interface Resolved<Started> {
  started: Started;
  /** The ports it started on: different from the requested ones when the user chose another. */
  ports: Ports;
}

export async function startResolvingConflicts<Started>(requested: Ports, deps: ConflictDeps<Started>): Promise<Resolved<Started> | null> {
  const ports = { ...requested };
  for (;;) {
    try {
      return { started: await deps.start({ ...ports }), ports };
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      const prompt = conflictPrompt(error, await deps.freePortNear(error.host, error.port));
      const answer = prompt.answers[await deps.ask(prompt)] ?? { kind: 'quit' };
      if (answer.kind === 'quit') return null;
      if (answer.kind === 'use-port') {
        if (error.role === 'proxy') ports.proxyPort = answer.port;
        else ports.adminPort = answer.port;
      }
    }
  }
}
