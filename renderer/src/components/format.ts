/**
 * How the dashboard writes numbers: short, fixed-width-ish, and honest about "no data" (an em dash,
 * never a misleading 0 % or 0 ms). One place so the graph, the panel and the SVG export agree.
 */

const NO_DATA = '—';

export function formatRps(rps: number | null | undefined): string {
  if (rps === null || rps === undefined || !Number.isFinite(rps)) return NO_DATA;
  if (rps === 0) return '0 rps';
  if (rps < 0.1) return '<0.1 rps';
  if (rps < 10) return `${rps.toFixed(1)} rps`;
  if (rps < 10_000) return `${Math.round(rps)} rps`;
  return `${(rps / 1000).toFixed(1)}k rps`;
}

/** A 0..1 share as a percentage; 99.95 % is not rounded up to 100 %, because that would hide failures. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_DATA;
  const percent = share * 100;
  if (percent >= 100) return '100%';
  if (percent >= 99) return `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;
  return `${Math.floor(percent)}%`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_DATA;
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A weight share for a version (0..1) as a whole percentage, e.g. on a route split. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_DATA;
  return `${Math.round(share * 100)}%`;
}

export function formatAge(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - fromMs) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}
