/**
 * The dashboard's own preferences (theme, health thresholds, the drag's guard), kept in the browser's localStorage:
 * they belong to this screen, not to the mesh, so they never travel over the admin API. What is
 * read back is parsed leniently — a value written by an older or newer dashboard, or edited by
 * hand, falls back field by field to the default instead of breaking the page.
 */
import { z } from 'zod';
import type { RouteGuardInput } from '../../../shared/routes.js';

export const SETTINGS_KEY = 'meshdesk.dashboard.settings';

export const themeChoiceSchema = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof themeChoiceSchema>;

export const DEFAULT_THRESHOLDS = { warnBelow: 0.99, errorBelow: 0.95 } as const;

const share = z.number().min(0).max(1);

/** Success rate below `warnBelow` is amber, below `errorBelow` red (0..1). */
export const thresholdsSchema = z
  .object({ warnBelow: share, errorBelow: share })
  .refine((t) => t.errorBelow <= t.warnBelow, { message: 'the red threshold must not be above the amber one', path: ['errorBelow'] });
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Whether a drag on the graph carries a guard (on by default: a drag is the quickest change to make by mistake), and for how long it watches. */
export const guardDragsSchema = z.object({ enabled: z.boolean(), forSeconds: z.number().int().min(5).max(3_600) });
export type GuardDrags = z.infer<typeof guardDragsSchema>;
export const DEFAULT_GUARD_DRAGS: GuardDrags = { enabled: true, forSeconds: 60 };

export interface Settings {
  theme: ThemeChoice;
  thresholds: Thresholds;
  guardDrags: GuardDrags;
}

export const DEFAULT_SETTINGS: Settings = { theme: 'system', thresholds: { ...DEFAULT_THRESHOLDS }, guardDrags: { ...DEFAULT_GUARD_DRAGS } };

const storedSchema = z.object({
  theme: themeChoiceSchema.catch(DEFAULT_SETTINGS.theme),
  thresholds: thresholdsSchema.catch(DEFAULT_SETTINGS.thresholds),
  guardDrags: guardDragsSchema.catch(DEFAULT_SETTINGS.guardDrags),
});

/** The guard a drag sends, or none when the user turned it off; the other thresholds are the mesh's defaults. */
export function dragGuard(settings: Settings): RouteGuardInput | undefined {
  return settings.guardDrags.enabled ? { forSeconds: settings.guardDrags.forSeconds } : undefined;
}

export function parseSettings(raw: string | null): Settings {
  if (!raw) return DEFAULT_SETTINGS;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return DEFAULT_SETTINGS;
  }
  const parsed = storedSchema.safeParse(json);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export function serializeSettings(settings: Settings): string {
  return JSON.stringify(settings);
}

/**
 * Thresholds as the settings form edits them: percentages in text fields. Returns the thresholds,
 * or a message for the field that is wrong.
 */
export function thresholdsFromPercent(
  warn: string,
  error: string,
): { ok: true; thresholds: Thresholds } | { ok: false; field: 'warn' | 'error'; message: string } {
  const warnValue = Number(warn);
  const errorValue = Number(error);
  if (warn.trim() === '' || !Number.isFinite(warnValue) || warnValue < 0 || warnValue > 100)
    return { ok: false, field: 'warn', message: 'a percentage from 0 to 100' };
  if (error.trim() === '' || !Number.isFinite(errorValue) || errorValue < 0 || errorValue > 100)
    return { ok: false, field: 'error', message: 'a percentage from 0 to 100' };
  const parsed = thresholdsSchema.safeParse({ warnBelow: warnValue / 100, errorBelow: errorValue / 100 });
  if (!parsed.success) return { ok: false, field: 'error', message: parsed.error.issues[0]?.message ?? 'invalid' };
  return { ok: true, thresholds: parsed.data };
}
