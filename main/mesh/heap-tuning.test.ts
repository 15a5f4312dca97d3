// Which V8 flags a mesh process still needs: a flag given on the command line, in either spelling,
// is never overridden. Run with `npx vitest run main/mesh/heap-tuning.test.ts`.
import { describe, expect, it } from 'vitest';
import { missingStartupFlags, STARTUP_NODE_FLAGS } from './heap-tuning.js';

describe('heap tuning', () => {
  it('asks for every startup flag the command line lacks', () => {
    expect(missingStartupFlags([])).toEqual(STARTUP_NODE_FLAGS);
    expect(missingStartupFlags(['--inspect', ...STARTUP_NODE_FLAGS])).toEqual([]);
  });

  it('leaves a flag the user set, in either spelling, alone', () => {
    const missing = missingStartupFlags(['--max_semi_space_size=16']);
    expect(missing.some((flag) => flag.startsWith('--max-semi-space-size'))).toBe(false);
    expect(missing).toHaveLength(STARTUP_NODE_FLAGS.length - 1);
  });

  it('takes a flag turned back on as the user choice, not as a missing "--no-" flag', () => {
    const missing = missingStartupFlags(['--allocation-site-pretenuring']);
    expect(missing).not.toContain('--no-allocation-site-pretenuring');
    expect(missing).toHaveLength(STARTUP_NODE_FLAGS.length - 1);
  });
});
