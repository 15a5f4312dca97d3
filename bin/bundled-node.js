// Runs this `meshdesk` command again on the Node 22 that npm installed with Meshdesk (the `node`
// package from the registry, a dependency), for when the command was started by an older Node: a
// global install or `npm link` puts bin/meshdesk.js on PATH with `#!/usr/bin/env node`, which is
// whatever Node the user's shell has. Resolved as a module, so it is found where npm put it: in
// Meshdesk's own node_modules (a clone, `npm link`, `npm install -g`) or hoisted into the folder
// that installed Meshdesk as a dependency. Plain JavaScript that any Node since 14 can parse, since
// it runs before the version is known to be right.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Set in the relaunched command's environment, so a wrong binary cannot relaunch forever. */
const RELAUNCHED = 'MESHDESK_BUNDLED_NODE';

/** The bundled Node 22 binary, or null when npm did not install it next to this copy of Meshdesk. */
export function bundledNodeBinary() {
  let packageJson;
  try {
    packageJson = createRequire(import.meta.url).resolve('node/package.json');
  } catch {
    return null;
  }
  const folder = path.join(path.dirname(packageJson), 'bin');
  return ['node', 'node.exe'].map((name) => path.join(folder, name)).find((file) => existsSync(file)) ?? null;
}

/** Never returns: the command runs on the bundled Node and this process ends as it does. */
export async function runOnBundledNode(major) {
  const binary = process.env[RELAUNCHED] ? null : bundledNodeBinary();
  if (!binary) {
    console.error(
      `meshdesk: needs Node.js 22 or newer (this is ${process.version}), and the Node 22 npm installs with Meshdesk is missing; run \`npm install\` in Meshdesk's folder`,
    );
    process.exit(1);
  }
  process.env[RELAUNCHED] = String(major);
  try {
    const { relaunchWithFlags } = await import('../dist/main/cli/relaunch.js');
    await relaunchWithFlags([], { execPath: binary, execArgv: process.execArgv, argv: process.argv });
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
      console.error('meshdesk: not built yet; run `npm run build` (npm install does it too)');
      process.exit(1);
    }
    throw error;
  }
}
