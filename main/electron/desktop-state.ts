/**
 * What the desktop shell itself persists (window placement and settings), its schema and its
 * migrations. Persistence boundary: the file is on disk, may be from an older version or edited by
 * hand, and TypeScript types do not cross the disk. So the shape is declared once in zod, and the
 * JSON schema electron-store (through `conf`) validates every read and write with is generated from
 * it; the migrations turn older files into the current shape before that validation runs.
 *
 * The mesh's own state (services and routes registered in the GUI) is a separate store with its
 * own shape (main/mesh/store/mesh-state.ts), opened through the same adapter.
 */
import type { Options, Schema } from 'conf';
import { z } from 'zod';
import { DEFAULT_WINDOW_STATE } from './window-state.js';

const coordinate = z.number().int().min(-100_000).max(100_000);
const extent = z.number().int().min(1).max(100_000);
const port = z.number().int().min(0).max(65_535);

export const windowStateSchema = z.strictObject({
  bounds: z.strictObject({ x: coordinate, y: coordinate, width: extent, height: extent }).nullable(),
  maximized: z.boolean(),
});

export const desktopSettingsSchema = z.strictObject({
  /** Where the proxy listens (`http_proxy` points here); 0 picks a free port at each start. */
  proxyPort: port,
  /** Where the admin API and the dashboard listen. */
  adminPort: port,
  /** The workspace's meshdesk.yaml, or null for none. */
  configFile: z.string().min(1).nullable(),
});

export const desktopStateSchema = z.strictObject({
  window: windowStateSchema,
  settings: desktopSettingsSchema,
});

export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;
export type DesktopState = z.infer<typeof desktopStateSchema>;

export const DEFAULT_SETTINGS: DesktopSettings = { proxyPort: 4140, adminPort: 9990, configFile: null };

export function desktopStateDefaults(): DesktopState {
  return { window: structuredClone(DEFAULT_WINDOW_STATE), settings: { ...DEFAULT_SETTINGS } };
}

type Key = keyof DesktopState;
const KEYS = Object.keys(desktopStateSchema.shape) as Key[];

function jsonSchemaOf(schema: z.ZodType): object {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

/** conf's `schema` option: one JSON schema per top-level key, generated from the zod shape. */
export function desktopJsonSchema(): Schema<DesktopState> {
  const schema: Record<string, object> = {};
  for (const key of KEYS) schema[key] = jsonSchemaOf(desktopStateSchema.shape[key]);
  return schema as Schema<DesktopState>;
}

interface MigratingStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
}

/**
 * Keys a file holds that fail the current schema go back to their defaults; the others are kept.
 * Losing a window position is cheap, failing to start (or emptying the whole file) is not.
 */
export function repairToSchema(store: MigratingStore): Key[] {
  const repaired: Key[] = [];
  const defaults = desktopStateDefaults();
  for (const key of KEYS) {
    if (store.has(key) && desktopStateSchema.shape[key].safeParse(store.get(key)).success) continue;
    store.set(key, defaults[key]);
    repaired.push(key);
  }
  return repaired;
}

/**
 * Version → step, run in order when the app's version passes it (conf records the last version it
 * migrated to inside the file). 0.1.0 is the first schema: a file without a recorded version was
 * written by a development build before it, so it is repaired key by key rather than trusted.
 * A later change of shape adds a step here and a test with a file in the old shape.
 */
export const desktopStateMigrations: NonNullable<Options<DesktopState>['migrations']> = {
  '0.1.0': (store) => {
    repairToSchema(store as unknown as MigratingStore);
  },
};

/** The options shared by electron-store in the app and by `conf` in the tests. */
export function desktopStoreOptions(
  projectVersion: string,
): Pick<
  Options<DesktopState>,
  'defaults' | 'schema' | 'migrations' | 'projectVersion' | 'clearInvalidConfig' | 'accessPropertiesByDotNotation' | 'configFileMode'
> {
  return {
    defaults: desktopStateDefaults(),
    schema: desktopJsonSchema(),
    migrations: desktopStateMigrations,
    projectVersion,
    // A file the schema rejects is moved aside and reported (state-file.ts), never silently emptied.
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    // Only the user may read what the app keeps.
    configFileMode: 0o600,
  };
}
