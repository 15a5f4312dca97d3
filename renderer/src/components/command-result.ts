/**
 * The outcome of a command the dashboard sends to the mesh: done, or a message for the view to show.
 * Failures are turned into messages here, once, so no view retries behind the user or throws.
 */
export type CommandResult = { ok: true } | { ok: false; message: string };

export async function runCommand(command: () => Promise<void>): Promise<CommandResult> {
  try {
    await command();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
