/**
 * Which guards rolled back since the topology opened, so the graph can say why an edge snapped back.
 * A rollback is told once, and only if this view saw its guard watching or the guard started after
 * the view opened: opening the dashboard later must not replay old news (the service panel and the
 * route history keep it).
 */
import { useEffect, useRef } from 'react';
import type { ServiceRoute } from '../../../shared/routes.js';

export interface GuardNews {
  /** `world@2026-…`: one guard, the change it watched. */
  key: string;
  text: string;
}

export interface GuardMemory {
  /** Guards seen watching. */
  watching: Set<string>;
  /** Rollbacks already told. */
  told: Set<string>;
  /** Epoch ms the view opened. */
  openedAt: number;
}

/** Updates `memory` from the latest routes and returns the rollbacks to tell now. Pure but for `memory`. */
export function guardNews(routes: readonly ServiceRoute[] | null, memory: GuardMemory): GuardNews[] {
  const news: GuardNews[] = [];
  for (const route of routes ?? []) {
    const guard = route.guard;
    if (!guard) continue;
    const key = `${route.service}@${guard.startedAt}`;
    if (guard.state === 'watching') memory.watching.add(key);
    if (guard.state !== 'rolled-back' || memory.told.has(key)) continue;
    if (!memory.watching.has(key) && Date.parse(guard.startedAt) < memory.openedAt) continue;
    memory.told.add(key);
    memory.watching.delete(key);
    const back = guard.baselineVersion ? `back to ${guard.baselineVersion}` : 'back';
    news.push({ key, text: `${route.service} snapped ${back}: ${guard.reason ?? 'rolled back by guard'}.` });
  }
  return news;
}

/** Calls `tell` with each rollback's sentence as the routes arrive. */
export function useGuardNews(routes: readonly ServiceRoute[] | null, tell: (text: string) => void): void {
  const memory = useRef<GuardMemory | null>(null);
  memory.current ??= { watching: new Set(), told: new Set(), openedAt: Date.now() };
  const current = memory.current;
  useEffect(() => {
    for (const news of guardNews(routes, current)) tell(news.text);
  }, [routes, current, tell]);
}
