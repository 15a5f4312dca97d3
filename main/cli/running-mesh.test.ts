/** The running-mesh record a workspace's CLI reads to find its mesh. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetRunningMesh, readRunningMesh, recordRunningMesh } from './running-mesh.js';

const mesh = { pid: process.pid, adminUrl: 'http://127.0.0.1:9951', proxyUrl: 'http://127.0.0.1:4151', workspace: '/home/dev/shop' };

describe('running mesh record', () => {
  it('is read back while its process runs, and removed by that process only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-run-'));
    recordRunningMesh(dir, mesh);
    expect(readRunningMesh(dir)).toEqual(mesh);
    forgetRunningMesh(dir, process.pid + 1);
    expect(readRunningMesh(dir)).toEqual(mesh);
    forgetRunningMesh(dir);
    expect(readRunningMesh(dir)).toBeNull();
  });

  it('ignores the record of a mesh whose process is gone (killed), and a damaged file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-run-'));
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    recordRunningMesh(dir, { ...mesh, pid: Number(gone) });
    expect(readRunningMesh(dir)).toBeNull();
    writeFileSync(path.join(dir, 'running.json'), '{"pid":');
    expect(readRunningMesh(dir)).toBeNull();
    expect(readRunningMesh(path.join(dir, 'missing'))).toBeNull();
  });
});
