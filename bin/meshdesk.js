#!/usr/bin/env node
// The `meshdesk` command. Meshdesk runs on Node 22 (Electron 45's runtime); npm scripts and npx
// put the project's own Node 22 (the `node` dependency) first on PATH, so this check only fires
// when the command is run with an older Node some other way.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `meshdesk: needs Node.js 22 or newer (this is ${process.version}). Run it through npm (npx meshdesk, npm start) to use the Node 22 installed with it.`,
  );
  process.exit(1);
}
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
