#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is present; where it is not (it cannot be
// downloaded on every machine), one line says so and the headless demo starts instead, so the main
// job always runs. Arguments are passed on (`npm start -- --proxy-port 4141`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { electronBinary, NO_ELECTRON_REASON } from '../scripts/electron-binary.js';

const root = path.resolve(import.meta.dirname, '..');
const binary = electronBinary();
const args = process.argv.slice(2);
let child;
if (binary) {
  if (!existsSync(path.join(root, 'dist', 'main', 'electron', 'preload.cjs'))) {
    console.error('meshdesk: the desktop app is not built; run `npm run build` first');
    process.exit(1);
  }
  child = spawn(binary, [root, ...args], { stdio: 'inherit' });
} else {
  console.log(`meshdesk: ${NO_ELECTRON_REASON}; starting the headless demo instead`);
  child = spawn(process.execPath, [path.join(import.meta.dirname, 'meshdesk.js'), 'demo', ...args], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
