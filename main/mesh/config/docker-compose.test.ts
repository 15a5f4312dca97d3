// Import from a real docker-compose.yml on disk: short and long port syntax, host IPs, ranges,
// variables, services without published ports. Run: npx vitest run main/mesh/config/docker-compose.test.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importDockerCompose, interpolate } from './docker-compose.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function composeFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshdesk-compose-'));
  dirs.push(dir);
  const file = path.join(dir, 'docker-compose.yml');
  writeFileSync(file, text);
  return file;
}

const COMPOSE = `name: shop
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
  api_server:
    build: ./api
    ports:
      - target: 3000
        published: "\${API_PORT:-3001}"
        protocol: tcp
  admin:
    image: admin
    ports:
      - "127.0.0.2:9000:9000/tcp"
      - "9443:443"
  metrics:
    image: statsd
    ports:
      - "8125:8125/udp"
  db:
    image: postgres:16
    expose: ["5432"]
  worker:
    image: worker
    ports:
      - "5000"
  ranged:
    image: ranged
    ports:
      - "7100-7102:7100-7102"
  v6:
    image: v6
    ports:
      - "[::1]:7200:80"
  broken:
    image: broken
    ports:
      - "\${NOT_SET}:80"
`;

describe('importDockerCompose', () => {
  it('turns services with published TCP ports into instances, and says why the others were skipped', async () => {
    const { entries, problems } = await importDockerCompose(composeFile(COMPOSE), { API_PORT: undefined });
    expect(entries).toEqual([
      { service: 'web', version: 'default', address: '127.0.0.1:8080', origin: 'docker-compose.yml:6' },
      { service: 'api-server', version: 'default', address: '127.0.0.1:3001', origin: 'docker-compose.yml:10' },
      { service: 'admin', version: 'default', address: '127.0.0.2:9000', origin: 'docker-compose.yml:16' },
      { service: 'ranged', version: 'default', address: '127.0.0.1:7100', origin: 'docker-compose.yml:32' },
      { service: 'v6', version: 'default', address: '[::1]:7200', origin: 'docker-compose.yml:36' },
    ]);
    expect(problems.map(({ line, severity, message }) => [line, severity, message])).toEqual([
      [16, 'warning', 'admin publishes several ports; imported 9000, not 9443 (list the right one in meshdesk.yaml if it is another)'],
      [18, 'warning', 'service "metrics" publishes no TCP port; skipped'],
      [22, 'warning', 'service "db" publishes no ports; skipped'],
      [28, 'warning', 'worker: container port 5000 gets a random host port; give it one (e.g. "8080:5000") to import it'],
      [40, 'error', 'broken: uses $NOT_SET, which is not set'],
    ]);
  });

  it('takes variables from the environment', async () => {
    const { entries } = await importDockerCompose(composeFile(COMPOSE), { API_PORT: '4000', NOT_SET: '4001' });
    expect(entries.find((entry) => entry.service === 'api-server')?.address).toBe('127.0.0.1:4000');
    expect(entries.find((entry) => entry.service === 'broken')?.address).toBe('127.0.0.1:4001');
  });

  it('reports a file that is not a compose file, or not YAML, with its line', async () => {
    expect((await importDockerCompose(composeFile('version: "3"\n'), {})).problems).toEqual([
      expect.objectContaining({ message: 'no "services:" map: is this a docker-compose file?' }),
    ]);
    expect((await importDockerCompose(composeFile('services:\n  web: [\n'), {})).problems[0]).toMatchObject({ severity: 'error', line: 3 });
    expect((await importDockerCompose(path.join(os.tmpdir(), 'no-such-dir-meshdesk', 'docker-compose.yml'), {})).problems[0]?.message).toMatch(/^cannot read/);
  });

  it('interpolates like compose', () => {
    expect(interpolate('$A-${B}-${C:-c}-${D-d}-$$', { A: 'a', B: 'b', C: '', D: '' })).toEqual({ value: 'a-b-c--$' });
  });
});
