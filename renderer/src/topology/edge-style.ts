/**
 * How an edge looks for its traffic: thicker and faster-flowing with more requests per second (on a
 * log scale, so 2 rps and 2,000 rps both read), coloured by health, faded and still when idle.
 * Shared by the live graph, its traffic dots (flow-dots.ts) and the SVG export.
 */
import type { Health } from './graph-model.js';

export interface Palette {
  background: string;
  node: string;
  nodeBorder: string;
  text: string;
  muted: string;
  /** The selection's outline where it is drawn outside the DOM (the overview canvas). */
  accent: string;
  health: Record<Health, string>;
}

export const PALETTES: Record<'light' | 'dark', Palette> = {
  light: {
    background: '#ffffff',
    node: '#f4f6f8',
    nodeBorder: '#c9d1d9',
    text: '#1b1f24',
    muted: '#59636e',
    accent: '#2563eb',
    health: { good: '#16a34a', warn: '#d97706', bad: '#dc2626', none: '#94a3b8' },
  },
  dark: {
    background: '#14171c',
    node: '#1e232a',
    nodeBorder: '#3a434e',
    text: '#e6e9ed',
    muted: '#9aa4b0',
    accent: '#60a5fa',
    health: { good: '#22c55e', warn: '#f59e0b', bad: '#f87171', none: '#64748b' },
  },
};

/** Stroke width by traffic, in half-pixel steps: finer steps would restyle edges on every wobble of the rate. */
export function edgeWidth(rps: number): number {
  return Math.round((1.5 + Math.min(4, Math.log10(1 + Math.max(0, rps)) * 1.5)) * 2) / 2;
}

/** How fast traffic dots move along an edge, px per second, faster with more traffic; null: still. */
export function flowSpeed(rps: number): number | null {
  if (!(rps > 0)) return null;
  return Math.round(Math.min(400, 24 * (1 + Math.log2(1 + rps))));
}

export const IDLE_OPACITY = 0.35;

/** `12 rps · 99.5% · p99 45 ms`, the text on an edge. */
export function edgeLabel(
  edge: { rps: number; successRate: number | null; p99: number | null },
  format: { rps: (n: number) => string; percent: (n: number | null) => string; ms: (n: number | null) => string },
): string {
  return `${format.rps(edge.rps)} · ${format.percent(edge.successRate)} · p99 ${format.ms(edge.p99)}`;
}
