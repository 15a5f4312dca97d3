/**
 * Reads a V8 `.cpuprofile` (written by the Meshdesk child under `--profile`) and lists where the
 * proxy's own CPU time goes: the top functions by self time, and the share of Meshdesk's code,
 * undici, Node's HTTP internals, GC and idle. Enough to point at a hot spot without opening DevTools.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Sampled time not idle: shares below are of this, so idle phases between rows do not dilute them. */
  busyMs: number;
  byArea: { area: string; ms: number; share: number }[];
  top: { name: string; where: string; ms: number; share: number }[];
}

export function newestProfile(dir: string, since: number): string | null {
  let newest: { file: string; mtime: number } | null = null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names.filter((n) => n.endsWith('.cpuprofile'))) {
    const file = path.join(dir, name);
    const mtime = statSync(file).mtimeMs;
    if (mtime >= since && (!newest || mtime > newest.mtime)) newest = { file, mtime };
  }
  return newest?.file ?? null;
}

export function summarizeProfile(file: string, topCount = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const samples = profile.samples.length || 1;
  const msPerSample = totalMs / samples;
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? node.hitCount ?? 0;
    if (count === 0) continue;
    const ms = count * msPerSample;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
    const area = areaOf(functionName, url);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
  }
  const busyMs = totalMs - (byArea.get('idle') ?? 0);
  byArea.delete('idle');
  const share = (ms: number) => ms / busyMs;
  return {
    file,
    totalMs,
    busyMs,
    byArea: [...byArea].map(([area, ms]) => ({ area, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms),
    top: [...byFunction.values()]
      .filter((e) => e.name !== '(idle)')
      .sort((a, b) => b.ms - a.ms)
      .slice(0, topCount)
      .map((e) => ({ ...e, share: share(e.ms) })),
  };
}

export function profileText(summary: ProfileSummary): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const areas = summary.byArea.map((a) => `${a.area} ${pct(a.share)}`).join(', ');
  const top = summary.top.map((e) => `| ${pct(e.share)} | ${e.name} | ${e.where} |`);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `CPU profile ${summary.file}: ${seconds(summary.busyMs)} busy of ${seconds(summary.totalMs)}. Share of busy time by area: ${areas}.`,
    'Native functions without a script (writev, writeLatin1String, …) include the system call they make: that is kernel socket time.',
    '',
    '| self (of busy) | function | where |',
    '|---|---|---|',
    ...top,
  ].join('\n');
}

function areaOf(functionName: string, url: string): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)' || (!url && functionName.startsWith('('))) return 'program/native';
  if (url.includes('/undici/')) return 'undici';
  if (url.includes('/dist/main/') || url.includes('/dist/shared/')) return 'meshdesk';
  if (url.includes('/dist/bench/')) return 'bench listener';
  if (url.includes('/node_modules/')) return 'other libraries';
  if (url.startsWith('node:')) return 'node core';
  return url ? 'other js' : 'native';
}

function shortUrl(url: string): string {
  const marker = url.lastIndexOf('/node_modules/');
  if (marker >= 0) return url.slice(marker + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url;
}
