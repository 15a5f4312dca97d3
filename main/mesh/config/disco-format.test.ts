// The disco/ file format (Linkerd 1.x io.l5d.fs plus versions in file names and comments), on
// text. Run: npx vitest run main/mesh/config/disco-format.test.ts
import { describe, expect, it } from 'vitest';
import { parseDiscoName, parseDiscoText } from './disco-format.js';

describe('parseDiscoName', () => {
  it('reads service and version from the file name', () => {
    expect(parseDiscoName('world')).toEqual({ ignored: false, service: 'world', version: 'default' });
    expect(parseDiscoName('world@v2')).toEqual({ ignored: false, service: 'world', version: 'v2' });
  });

  it('ignores hidden, backup and swap files, and explains a name that is not a service', () => {
    for (const name of ['.world.swp', 'world~', 'world.swp', '.#world', '#world#', 'world.tmp']) expect(parseDiscoName(name)).toEqual({ ignored: true });
    expect(parseDiscoName('World_Service')).toMatchObject({ error: expect.stringContaining('"World_Service" is not one') });
    expect(parseDiscoName('world@')).toMatchObject({ error: expect.stringContaining('"" is not a version label') });
  });
});

describe('parseDiscoText', () => {
  it('reads host port lines with optional weights, comments and blank lines', () => {
    const text = '# world v1\n\n127.0.0.1 7002\n  127.0.0.1 7003 * 2.5  # canary\nlocalhost 7004 *3\r\n::1 7005\n';
    expect(parseDiscoText(text, 'disco/world')).toEqual({
      instances: [
        { address: '127.0.0.1:7002', weight: 1, line: 3 },
        { address: '127.0.0.1:7003', weight: 2.5, line: 4 },
        { address: 'localhost:7004', weight: 3, line: 5 },
        { address: '[::1]:7005', weight: 1, line: 6 },
      ],
      problems: [],
    });
  });

  it('reports each garbage line with its line and keeps the good ones', () => {
    const text = [
      '127.0.0.1 7002',
      'hello',
      '127.0.0.1 http',
      '127.0.0.1 70000',
      '127.0.0.1 7003 * -1',
      'bad_host! 7004',
      '127.0.0.1 7002',
      '  127.0.0.1:7006',
      '127.0.0.1 7007',
    ].join('\n');
    const { instances, problems } = parseDiscoText(text, 'disco/world');
    expect(instances.map((instance) => instance.address)).toEqual(['127.0.0.1:7002', '127.0.0.1:7007']);
    expect(problems.map(({ line, column, message }) => [line, column, message])).toEqual([
      [2, 1, 'expected "host port" or "host port * weight", got "hello"'],
      [3, 1, 'port must be a number between 1 and 65535, got "http"'],
      [4, 1, 'port must be a number between 1 and 65535, got "70000"'],
      [5, 1, 'weight must be a positive number, got "-1"'],
      [6, 1, '"bad_host!" is not a host name or IP address'],
      [7, 1, 'duplicate instance 127.0.0.1:7002 (already on line 1)'],
      [8, 3, 'expected "host port" or "host port * weight", got "127.0.0.1:7006"'],
    ]);
  });

  it('warns about a host off this machine but keeps it', () => {
    const { instances, problems } = parseDiscoText('10.0.0.8 80\n', 'disco/db');
    expect(instances).toHaveLength(1);
    expect(problems).toEqual([expect.objectContaining({ line: 1, severity: 'warning', message: expect.stringContaining('not on this machine') })]);
  });

  it('parses a 10,000-line file, garbage included, in well under a second', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => (i % 1_000 === 999 ? `garbage line ${i}` : `127.0.0.1 ${10_000 + i}`));
    const started = performance.now();
    const { instances, problems } = parseDiscoText(lines.join('\n'), 'disco/big');
    const elapsed = performance.now() - started;
    expect(instances).toHaveLength(9_990);
    expect(problems.map((problem) => problem.line)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000]);
    expect(elapsed).toBeLessThan(1_000);
  });
});
