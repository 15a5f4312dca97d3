/**
 * All IPC between the dashboard window and the main process goes through this module, from the
 * channel table in shared/desktop-bridge.ts. Security model: the dashboard is a web page, and a web
 * page is the least trusted thing in the app, so every message is checked before a handler sees it:
 *
 * 1. the sender must be one of our own windows (a webContents id the shell created),
 * 2. from its top frame (an iframe, even one of ours, gets nothing),
 * 3. whose current URL is on the dashboard's origin (a window that was somehow navigated away from
 *    the dashboard has lost its bridge),
 * 4. and the arguments must match the channel's schema: TypeScript types do not cross processes.
 *
 * A refused `invoke` rejects in the renderer; a refused `sync` call answers null. Nothing else is
 * registered on ipcMain by the shell, so there is no channel without these checks.
 */
import { z } from 'zod';
import { desktopChannels, type DesktopRequestName, type DesktopRequests } from '../../shared/desktop-bridge.js';

/** The parts of Electron's IpcMainEvent / IpcMainInvokeEvent the checks read. */
export interface IpcSender {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcSyncEvent extends IpcSender {
  returnValue: unknown;
}

/** The parts of Electron's ipcMain this module uses (so tests can pass a plain object). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSender, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcSyncEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcSyncEvent, ...args: unknown[]) => void): unknown;
}

export interface SenderTrust {
  /** The dashboard's origin, e.g. `http://127.0.0.1:9990`. */
  origin: string;
  /** True for the webContents of windows the shell created. */
  isOwnWebContents(id: number): boolean;
}

type SyncNames = { [K in DesktopRequestName]: (typeof desktopChannels)[K]['mode'] extends 'sync' ? K : never }[DesktopRequestName];

export type DesktopHandlers = {
  [K in DesktopRequestName]: (
    ...args: DesktopRequests[K]['args']
  ) => K extends SyncNames ? DesktopRequests[K]['result'] : DesktopRequests[K]['result'] | Promise<DesktopRequests[K]['result']>;
};

const argumentSchemas: { [K in DesktopRequestName]: z.ZodType<DesktopRequests[K]['args']> } = {
  connection: z.tuple([]),
  copyExportLine: z.tuple([]),
  openExternal: z.tuple([z.string().max(8_192)]),
};

export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError';
}

/** Why a sender is refused, or null when it is trusted. */
export function senderRefusal(event: IpcSender, trust: SenderTrust): string | null {
  const frame = event.senderFrame;
  // Null when the frame has navigated or been destroyed since it sent the message.
  if (frame === null) return 'the sending frame is gone';
  if (!trust.isOwnWebContents(event.sender.id)) return 'the sender is not a Meshdesk window';
  if (frame.parent !== null) return 'the sender is not the top frame';
  let origin: string;
  try {
    origin = new URL(frame.url).origin;
  } catch {
    return 'the sender has no valid URL';
  }
  return origin === trust.origin ? null : `the sender's origin ${origin} is not the dashboard's`;
}

/** Registers every channel of the table; returns a function that removes them all. */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: DesktopHandlers,
  trust: SenderTrust,
  onRefused: (message: string) => void = (message) => console.warn(`meshdesk: ${message}`),
): () => void {
  const removals: (() => void)[] = [];
  for (const name of Object.keys(desktopChannels) as DesktopRequestName[]) {
    const { channel, mode } = desktopChannels[name];
    const run = (event: IpcSender, args: unknown[]): unknown => {
      const refusal = senderRefusal(event, trust);
      const parsed = argumentSchemas[name].safeParse(args);
      const reason = refusal ?? (parsed.success ? null : `bad arguments (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      if (reason !== null || !parsed.success) {
        const message = `IPC ${channel} refused: ${reason ?? 'bad arguments'}`;
        onRefused(message);
        throw new IpcRefusedError(message);
      }
      return (handlers[name] as (...a: unknown[]) => unknown)(...parsed.data);
    };
    if (mode === 'sync') {
      const listener = (event: IpcSyncEvent, ...args: unknown[]) => {
        try {
          event.returnValue = run(event, args);
        } catch (error) {
          // A sync sender blocks until it gets a value; it must get one even when refused.
          event.returnValue = null;
          if (!(error instanceof IpcRefusedError)) throw error;
        }
      };
      ipcMain.on(channel, listener);
      removals.push(() => ipcMain.removeListener(channel, listener));
    } else {
      ipcMain.handle(channel, (event, ...args) => run(event, args));
      removals.push(() => ipcMain.removeHandler(channel));
    }
  }
  return () => {
    for (const remove of removals) remove();
  };
}
