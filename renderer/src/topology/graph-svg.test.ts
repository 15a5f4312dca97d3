import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../settings/settings-model.js';
import { PALETTES } from './edge-style.js';
import { buildGraph } from './graph-model.js';
import { placeNodes } from './graph-layout.js';
import { graphSvg } from './graph-svg.js';
import { serviceRoute, serviceView, statsSnapshot } from './testing/mesh-fixtures.js';

function demoGraph() {
  const graph = buildGraph({
    services: [serviceView('hello', { default: ['127.0.0.1:7001'] }), serviceView('world', { v1: ['127.0.0.1:7002'], v2: ['127.0.0.1:7003'] }, 'healthy')],
    stats: statsSnapshot(
      [
        { caller: 'shell', service: 'hello', version: 'default', rps: 2 },
        { caller: 'hello', service: 'world', version: 'v1', rps: 2, successRate: 0.9 },
        { caller: 'hello', service: '<evil>&"', rps: 1 },
      ],
      ['<evil>&"'],
    ),
    routes: [serviceRoute('world', ['v1', 'v2'])],
    faults: [],
    thresholds: DEFAULT_THRESHOLDS,
  });
  return { graph, positions: placeNodes(graph.nodes, graph.edges, new Map()) };
}

describe('graphSvg', () => {
  it('draws every node and edge as plain SVG that a real renderer accepts', () => {
    const { graph, positions } = demoGraph();
    const { svg, width, height } = graphSvg(graph, positions, PALETTES.light);
    for (const id of ['svc:hello', 'svc:world', 'caller:shell', 'external', 'hello-&gt;world@v1', 'shell-&gt;hello@default'])
      expect(svg).toContain(`data-id="${id}"`);
    expect(svg).toContain('>world</text>');
    expect(svg).toContain('2.0 rps · 90% · p99 20 ms');
    expect(svg).toContain(PALETTES.light.health.bad); // hello → world at 90 % is red
    expect(svg).not.toContain('<evil>');
    expect(svg).not.toContain('foreignObject');

    // resvg (a real SVG renderer, no browser) parses it and rasterises it at its declared size.
    const png = new Resvg(svg).render();
    expect([png.width, png.height]).toEqual([width, height]);
    expect(png.asPng().subarray(1, 4).toString()).toBe('PNG');
  });

  it('uses the palette of the theme', () => {
    const { graph, positions } = demoGraph();
    expect(graphSvg(graph, positions, PALETTES.dark).svg).toContain(`fill="${PALETTES.dark.background}"`);
  });
});
