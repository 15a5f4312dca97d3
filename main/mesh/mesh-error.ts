/**
 * An error the mesh refuses a command with, carrying the HTTP status the admin API answers with
 * (400 bad input, 404 unknown thing, 409 conflicts with the current state). The message is meant
 * for the user as it is.
 */
export class MeshError extends Error {
  readonly status: 400 | 404 | 409;

  // No parameter property: the crash test runs this file under Node's type stripping.
  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.status = status;
  }
}
