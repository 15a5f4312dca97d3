/**
 * Runs the real `meshdesk` command (bin/meshdesk.js, built dist/) as a child process for CLI tests,
 * and reads the addresses it prints. Needs `npm run build` first, as `npm test` does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';

export interface RunningMeshdesk {
  child: ChildProcessWithoutNullStreams;
  proxyUrl: string;
  adminUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startMeshdesk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningMeshdesk> {
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'meshdesk.js'), ...args], {
    env: { ...process.env, ...env },
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const proxyUrl = /meshdesk: proxy\s+(\S+)/.exec(output)?.[1];
      const adminUrl = /meshdesk: dashboard\s+(\S+?)\/?\s/.exec(output)?.[1];
      if (proxyUrl && adminUrl && output.includes('in your shell')) {
        resolve({ child, proxyUrl, adminUrl, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`meshdesk exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Runs `meshdesk` to completion and returns what it printed. */
export function runMeshdesk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'meshdesk.js'), ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
