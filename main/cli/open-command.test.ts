// `meshdesk open` against a real `meshdesk serve`: the token comes from the shared state folder,
// the URL it prints signs a browser in once, and a missing mesh is a clear exit code 3.
import { afterEach, describe, expect, it } from 'vitest';
import { runMeshdesk, signIn, startMeshdesk, tempStateDir, type RunningMeshdesk } from './testing/spawn-meshdesk.js';

let mesh: RunningMeshdesk | null = null;
afterEach(async () => {
  mesh?.child.kill('SIGKILL');
  await mesh?.exited;
});

describe('meshdesk open', () => {
  it('prints a fresh login URL using the token the mesh saved, and the printed one stops working', async () => {
    const stateDir = tempStateDir();
    mesh = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0'], { MESHDESK_STATE_DIR: stateDir });
    const opened = await runMeshdesk(['open', '--admin-url', mesh.adminUrl], { MESHDESK_STATE_DIR: stateDir });
    expect(opened.stderr).toBe('');
    expect(opened.code).toBe(0);
    const url = opened.stdout.trim();
    expect(url).toMatch(new RegExp(`^${mesh.adminUrl}/login\\?code=[\\w-]+$`));
    await expect(signIn(mesh.loginUrl)).rejects.toThrow('login failed with 403');
    expect(await signIn(url)).toMatch(/^meshdesk_session=/);
  });

  it('says which token problem it met, and when no mesh answers', async () => {
    mesh = await startMeshdesk(['serve', '--proxy-port', '0', '--admin-port', '0']);
    const wrong = await runMeshdesk(['open', '--admin-url', mesh.adminUrl, '--token', 'nope']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('refused the token (wrong admin token)');
    const nobody = await runMeshdesk(['open', '--admin-url', 'http://127.0.0.1:1']);
    expect(nobody.code).toBe(3);
    expect(nobody.stderr.trim()).toBe('meshdesk: no mesh answers at http://127.0.0.1:1; start one with `meshdesk serve`');
  });
});
