// Which V8 flags a mesh process still needs: a flag given on the command line, in either spelling,
// is never overridden, and a process allowed one core collects garbage without a helper thread.
// Run with `npx vitest run main/mesh/heap-tuning.test.ts`.
import { describe, expect, it } from 'vitest';
import { missingStartupFlags, STARTUP_NODE_FLAGS, startupNodeFlags } from './heap-tuning.js';

describe('heap tuning', () => {
  it('asks for every startup flag the command line lacks', () => {
    expect(missingStartupFlags([], 4)).toEqual(STARTUP_NODE_FLAGS);
    expect(missingStartupFlags(['--inspect', ...STARTUP_NODE_FLAGS], 4)).toEqual([]);
  });

  it('leaves a flag the user set, in either spelling, alone', () => {
    const missing = missingStartupFlags(['--max_semi_space_size=16'], 4);
    expect(missing.some((flag) => flag.startsWith('--max-semi-space-size'))).toBe(false);
    expect(missing).toHaveLength(STARTUP_NODE_FLAGS.length - 1);
  });

  it('takes a flag turned back on as the user choice, not as a missing "--no-" flag', () => {
    const missing = missingStartupFlags(['--allocation-site-pretenuring'], 4);
    expect(missing).not.toContain('--no-allocation-site-pretenuring');
    expect(missing).toHaveLength(STARTUP_NODE_FLAGS.length - 1);
  });

  it('collects on the main thread alone when the process may use one core only', () => {
    expect(startupNodeFlags(1)).toEqual([...STARTUP_NODE_FLAGS, '--single-threaded-gc']);
    expect(startupNodeFlags(2)).toEqual(STARTUP_NODE_FLAGS);
    expect(missingStartupFlags([], 1)).toContain('--single-threaded-gc');
    // A user who wants the helper back on one core says so, and is not overridden.
    expect(missingStartupFlags(['--no-single-threaded-gc'], 1)).not.toContain('--single-threaded-gc');
  });
});
