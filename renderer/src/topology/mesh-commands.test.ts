import { describe, expect, it } from 'vitest';
import { withRoute } from './mesh-commands.js';
import { serviceRoute } from './testing/mesh-fixtures.js';

describe('withRoute', () => {
  it("replaces the service's route with the mesh's answer and leaves the others", () => {
    const hello = serviceRoute('hello', ['default']);
    const world = serviceRoute('world', ['v1', 'v2']);
    const answer = serviceRoute('world', ['v1', 'v2'], { v2: 1 });
    const next = withRoute([hello, world], answer);
    expect(next).toEqual([hello, answer]);
    expect(next[0]).toBe(hello);
  });

  it('adds a route the dashboard did not know yet', () => {
    const answer = serviceRoute('world', ['v1'], { v1: 1 });
    expect(withRoute(null, answer)).toEqual([answer]);
  });
});
