/**
 * The graph benchmark's markdown: one table of what Chromium measured (the same in both modes, so
 * synthetic and real runs compare line by line), the targets at each size, and in real mode a
 * second table of the traffic the mesh actually carried — a figure measured while the machine
 * could not deliver the offered load is a different claim, and the reader has to see that.
 */
import type { GraphMeasurement } from './measure.js';
import type { RealFigures } from './real-mesh.js';
import type { MeshSize } from './synthetic-mesh.js';

export interface SizeResult {
  size: MeshSize;
  runs: GraphMeasurement[];
  median: GraphMeasurement;
  real?: RealFigures;
}

export function medianByFirstRender(measured: GraphMeasurement[]): GraphMeasurement {
  const sorted = [...measured].sort((a, b) => a.firstRenderMs - b.firstRenderMs);
  return sorted[Math.floor(sorted.length / 2)] as GraphMeasurement;
}

export function graphTable(results: SizeResult[], preamble: string, real: boolean): string[] {
  const lines = [
    preamble,
    '',
    '| mesh | nodes / edges drawn | first render | long tasks during updates (count, max) | node drag: frames p50 / p95 / max, >50 ms | edge drag: frames p50 / p95 / max, >50 ms |',
    '|---|---|---|---|---|---|',
  ];
  for (const { size, median: m } of results) {
    lines.push(
      `| ${size.services} services / ${size.edges} edges, ${size.totalRps} req/s${real ? ' (real)' : ''} | ${m.nodes} / ${m.edges} | ${Math.round(m.firstRenderMs)} ms | ${m.updates.longTasks.count}, ${m.updates.longTasks.maxMs} ms (numbers changed in ${m.updates.summaryChanges} of ${m.updates.seconds} s) | ${m.nodeDrag.p50Ms} / ${m.nodeDrag.p95Ms} / ${m.nodeDrag.maxMs} ms, ${m.nodeDrag.over50} | ${m.edgeDrag.p50Ms} / ${m.edgeDrag.p95Ms} / ${m.edgeDrag.maxMs} ms, ${m.edgeDrag.over50} |`,
    );
  }
  // The same targets at both sizes: issue 7 set them for 50/150, issue 20 for 200/600.
  for (const { size, median: target } of results) {
    lines.push(
      '',
      `Targets (${size.services}/${size.edges}${real ? ', real' : ''}): first render < 1 s: ${target.firstRenderMs < 1000 ? 'met' : 'NOT met'}; no long task > 50 ms during updates: ${target.updates.longTasks.count === 0 ? 'met' : `NOT met (${target.updates.longTasks.count}, max ${target.updates.longTasks.maxMs} ms)`}.`,
    );
  }
  // Every run's long tasks, not only the median's: a rare one is what a fix has to aim at.
  for (const { size, runs } of results) {
    runs.forEach((run, index) => {
      for (const cause of run.updates.longTasks.causes) lines.push('', `Long task during updates, ${size.services}/${size.edges} run ${index + 1}: ${cause}`);
    });
  }
  return lines;
}

export function loadTable(results: SizeResult[]): string[] {
  const lines = [
    '',
    '| mesh | graph expected (generated / mesh stats) | offered req/s | achieved req/s (2xx) | mesh-measured req/s | sent / not sent (in-flight cap) / failed | mesh counted | CPU while measured: mesh / upstreams / load, machine busy | mesh RSS at the end |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { size, real } of results) {
    if (!real) continue;
    const { load, cpu } = real;
    const achieved = load.durationMs > 0 ? Math.round(load.ok / (load.durationMs / 1000)) : 0;
    const failures = Object.entries(load.statuses)
      .filter(([key]) => !/^2\d\d$/.test(key))
      .map(([key, count]) => `${key} × ${count}`)
      .join(', ');
    lines.push(
      `| ${size.services} services / ${size.edges} edges | ${real.generated.nodes} / ${real.generated.edges}; ${real.reported.nodes} / ${real.reported.edges} | ${Math.round(load.offeredRps)} | ${achieved} over ${Math.round(load.durationMs / 1000)} s | ${real.meshRps} | ${load.sent} / ${load.skipped} / ${load.failed}${failures ? ` (${failures})` : ''} | ${real.meshCounted} | ${cpu.mesh} / ${cpu.upstreams} / ${cpu.load} cores, ${cpu.machineBusyCores} of ${cpu.cores} over ${cpu.seconds} s | ${real.meshRssMb} MB |`,
    );
  }
  return lines;
}
