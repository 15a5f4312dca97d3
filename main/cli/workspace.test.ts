/** Which workspace a command runs in, and where its state goes. Real folders in a temp directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findWorkspace, stateDirFor, workspaceOfFlag, workspaceStateDir } from './workspace.js';

function folder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'meshdesk-ws-'));
}

describe('findWorkspace', () => {
  it('finds the nearest folder up with a meshdesk.yaml, from any subfolder', () => {
    const root = folder();
    writeFileSync(path.join(root, 'meshdesk.yaml'), 'services: {}\n');
    mkdirSync(path.join(root, 'services', 'world'), { recursive: true });
    expect(findWorkspace(path.join(root, 'services', 'world'))).toEqual({
      root,
      configFile: path.join(root, 'meshdesk.yaml'),
      discoDir: path.join(root, 'disco'),
    });
  });

  it('takes a folder with only disco/ as a workspace (Linkerd 1.x style)', () => {
    const root = folder();
    mkdirSync(path.join(root, 'disco'));
    expect(findWorkspace(root)).toEqual({ root, configFile: null, discoDir: path.join(root, 'disco') });
  });

  it('finds none in a folder with neither, and a file named disco is not a disco folder', () => {
    const root = folder();
    writeFileSync(path.join(root, 'disco'), 'not a folder');
    // The temp folder's parents (/tmp, /) hold no workspace on a test machine.
    expect(findWorkspace(root)).toEqual({ root: null, configFile: null, discoDir: null });
  });
});

describe('workspaceOfFlag (--config)', () => {
  it('accepts a config file, a workspace folder, or the disco/ folder itself', () => {
    const root = folder();
    const configFile = path.join(root, 'custom.yaml');
    writeFileSync(configFile, 'services: {}\n');
    mkdirSync(path.join(root, 'disco'));
    const disco = path.join(root, 'disco');
    expect(workspaceOfFlag(configFile)).toEqual({ root, configFile, discoDir: disco });
    expect(workspaceOfFlag(root)).toEqual({ root, configFile: null, discoDir: disco });
    expect(workspaceOfFlag(disco)).toEqual({ root, configFile: null, discoDir: disco });
  });

  it('names what is missing', () => {
    expect(() => workspaceOfFlag('/nonexistent/meshdesk.yaml')).toThrow('config not found: /nonexistent/meshdesk.yaml');
  });
});

describe('state per workspace', () => {
  it('gives each workspace folder its own state folder, named after it', () => {
    const a = workspaceStateDir('/home/dev/shop', '/state');
    const b = workspaceStateDir('/home/dev/other/shop', '/state');
    expect(a).toMatch(/^\/state\/workspaces\/shop-[0-9a-f]{10}$/);
    expect(b).toMatch(/^\/state\/workspaces\/shop-[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
    expect(workspaceStateDir('/home/dev/shop/', '/state')).toBe(a);
  });

  it('uses the folder given over the workspace, and the workspace over the user folder', () => {
    const workspace = { root: '/home/dev/shop', configFile: null, discoDir: null };
    expect(stateDirFor(workspace, '/given')).toBe('/given');
    expect(stateDirFor(workspace, undefined)).toBe(workspaceStateDir('/home/dev/shop'));
    expect(stateDirFor({ root: null, configFile: null, discoDir: null }, undefined)).not.toContain('workspaces');
  });
});
