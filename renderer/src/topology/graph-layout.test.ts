import { describe, expect, it } from 'vitest';
import { layeredLayout, placeNodes, type LayoutNode, type XY } from './graph-layout.js';

const node = (id: string, height = 60): LayoutNode => ({ id, width: 200, height });

function overlap(a: XY & LayoutNode, b: XY & LayoutNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function boxes(nodes: LayoutNode[], positions: Map<string, XY>): (XY & LayoutNode)[] {
  return nodes.map((n) => ({ ...n, ...(positions.get(n.id) as XY) }));
}

describe('graph layout', () => {
  it('lays callers out left of the services they call, without overlaps', () => {
    const nodes = [node('shell'), node('hello'), node('world', 100), node('db')];
    const edges = [
      { source: 'shell', target: 'hello' },
      { source: 'hello', target: 'world' },
      { source: 'world', target: 'db' },
    ];
    const positions = placeNodes(nodes, edges, new Map());
    const x = (id: string) => positions.get(id)?.x ?? NaN;
    expect(x('shell')).toBeLessThan(x('hello'));
    expect(x('hello')).toBeLessThan(x('world'));
    expect(x('world')).toBeLessThan(x('db'));
    const all = boxes(nodes, positions);
    for (const a of all) for (const b of all) if (a !== b) expect(overlap(a, b)).toBe(false);
  });

  it('never moves a node that already has a position, when nodes come and go', () => {
    const nodes = [node('shell'), node('hello'), node('world')];
    const edges = [
      { source: 'shell', target: 'hello' },
      { source: 'hello', target: 'world' },
    ];
    const first = placeNodes(nodes, edges, new Map());
    // The user dragged hello somewhere else.
    const dragged = new Map(first).set('hello', { x: 900, y: 700 });

    const grown = [...nodes, node('cache'), node('queue')];
    const grownEdges = [...edges, { source: 'hello', target: 'cache' }, { source: 'hello', target: 'queue' }];
    const second = placeNodes(grown, grownEdges, dragged);
    for (const id of ['shell', 'hello', 'world']) expect(second.get(id)).toEqual(dragged.get(id));
    const all = boxes(grown, second);
    for (const a of all) for (const b of all) if (a !== b) expect(overlap(a, b), `${a.id} overlaps ${b.id}`).toBe(false);

    // A node leaves: the others stay put, and nothing is laid out again.
    const shrunk = placeNodes(
      grown.filter((n) => n.id !== 'cache'),
      grownEdges,
      second,
    );
    expect(shrunk.has('cache')).toBe(false);
    for (const id of ['shell', 'hello', 'world', 'queue']) expect(shrunk.get(id)).toEqual(second.get(id));
  });

  it('puts a new node near where a fresh layout would, relative to the kept ones', () => {
    const nodes = [node('shell'), node('hello')];
    const edges = [{ source: 'shell', target: 'hello' }];
    const first = placeNodes(nodes, edges, new Map());
    // The whole graph was panned 1000 px right: the new callee should follow, right of hello.
    const moved = new Map([...first].map(([id, at]) => [id, { x: at.x + 1000, y: at.y }]));
    const next = placeNodes([...nodes, node('world')], [...edges, { source: 'hello', target: 'world' }], moved);
    const world = next.get('world') as XY;
    expect(world.x).toBeGreaterThan((moved.get('hello') as XY).x);
    expect(world.x).toBeLessThan((moved.get('hello') as XY).x + 600);
  });

  it('is deterministic and ignores edges to unknown nodes', () => {
    const nodes = [node('a'), node('b')];
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'a', target: 'ghost' },
      { source: 'a', target: 'a' },
    ];
    expect(layeredLayout(nodes, edges)).toEqual(layeredLayout(nodes, edges));
  });

  it('lays out 200 services and 600 edges', () => {
    const nodes = Array.from({ length: 200 }, (_, index) => node(`s${index}`, 46 + 30 * (1 + (index % 3))));
    const edges = Array.from({ length: 600 }, (_, index) => ({ source: `s${index % 200}`, target: `s${(index * 7 + 13) % 200}` }));
    const started = performance.now();
    const positions = placeNodes(nodes, edges, new Map());
    expect(positions.size).toBe(200);
    // Generous for a shared 2-core machine; the bench reports the real figure.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
