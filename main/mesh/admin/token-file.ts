/**
 * The admin token on disk: one file, readable and writable by its owner only, so that other users
 * of the machine cannot drive the mesh. Written atomically (temp file + rename) so a crash never
 * leaves a half-written token. Kept apart from the state store because the CLI reads it without
 * loading the store.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AdminAuth } from './admin-auth.js';

const TOKEN_FILE = 'admin-token';

export function readPersistedToken(stateDir: string): string | null {
  try {
    const token = readFileSync(path.join(stateDir, TOKEN_FILE), 'utf8').trim();
    return token.length > 0 ? token : null;
  } catch {
    return null;
  }
}

/** The persisted token, or a new one saved for next time. */
export function loadOrCreateToken(stateDir: string): string {
  const existing = readPersistedToken(stateDir);
  if (existing) return existing;
  const token = AdminAuth.newToken();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, TOKEN_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  return token;
}
