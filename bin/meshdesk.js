#!/usr/bin/env -S node --disable-warning=UNDICI-EHPA
// The `meshdesk` command. Meshdesk runs on Node 22 (Electron 45's runtime), which npm installs with
// it (the `node` dependency). npm scripts and npx put that Node first on PATH; anything else (a
// global install, `npm link`, a user's shell with an older Node) lands here on whatever `node` is
// first, so an older one hands the command to the bundled Node 22 (bundled-node.js). The shebang
// silences one warning Node prints at start-up in every shell `meshdesk env` set up: with
// NODE_USE_ENV_PROXY=1, Node 22 calls its proxy support experimental, before any code of ours runs.
import { runOnBundledNode } from './bundled-node.js';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) await runOnBundledNode(major);
/** Commands that host the mesh for a long time: they run with its V8 heap settings (heap-tuning.ts). */
const MESH_COMMANDS = new Set(['serve', 'demo']);
try {
  const missing = MESH_COMMANDS.has(process.argv[2]) ? (await import('../dist/main/mesh/heap-tuning.js')).missingStartupFlags() : [];
  if (missing.length > 0) {
    // Replaces this process where Node can (same pid, same stdio); else runs the command as a child.
    const { relaunchWithFlags } = await import('../dist/main/cli/relaunch.js');
    await relaunchWithFlags(missing);
  } else {
    const { main } = await import('../dist/main/cli/meshdesk.js');
    await main(process.argv);
  }
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main')) {
    console.error('meshdesk: not built yet; run `npm run build` (npm install does it too)');
    process.exit(1);
  }
  throw error;
}
