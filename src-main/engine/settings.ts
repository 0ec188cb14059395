import { z } from 'zod';
import { BatchDefaultsSchema } from './batch/schema';
import type { DccInstall } from './detect/dcc-discovery';
import type { HardwareInfo } from './detect/hardware';
import { InputError } from './errors';
import { RETRIES, STALL_TIMEOUT_SEC, TASK_TIMEOUT_SEC, type Range } from './limits';
import type { Store } from './store';

/**
 * Every setting Spool keeps, with its schema and its default, in one place. Code reads and writes
 * them only through readSetting/writeSetting, typed by key: a misspelt key does not compile, and a
 * wrong value is refused on write with a message naming the field.
 */

const whole = ({ min, max }: Range) => z.number().int().min(min).max(max);
const noNul = (s: string) => !s.includes('\0');
const adapterId = z.string().regex(/^[a-z0-9-]{1,32}$/, 'dcc is an adapter id like blender or command');
const filePath = (what: string) => z.string().min(1, `${what} is empty`).max(4096).refine(noNul, `${what} contains a NUL character`);

/** What a new job gets when its submission leaves these out (Settings → Defaults). */
const JobDefaultsSchema = z
  .object({
    retries: whole(RETRIES),
    stallTimeoutSec: whole(STALL_TIMEOUT_SEC).nullable(),
    taskTimeoutSec: whole(TASK_TIMEOUT_SEC).nullable(),
  })
  .strict();
export type JobDefaults = z.output<typeof JobDefaultsSchema>;
export const JOB_DEFAULTS: JobDefaults = { retries: 2, stallTimeoutSec: null, taskTimeoutSec: null };

/** A user's own choice of executable for a DCC (Settings, `spool dccs add PATH`). */
export const UserExecutableSchema = z.object({ dcc: adapterId, executable: filePath('executable') }).strict();
export type UserExecutable = z.output<typeof UserExecutableSchema>;

/**
 * What files dropped into a watch folder may queue, beyond what its owner set in `defaults`
 * (a folder's own `dcc`, template and executable are the owner's choice). Anyone who can write
 * into the folder chooses what its files ask for, so each kind is an explicit opt-in; absent
 * means none (`spool watch DIR --allow-dcc blender --allow-batch --allow-command`).
 */
export const WatchAllowSchema = z
  .object({
    /** DCCs a dropped scene or batch job may render with. */
    dccs: z.array(adapterId).max(64).optional(),
    /** Batch files (YAML/JSON) are queued, each job checked like a scene. */
    batch: z.boolean().optional(),
    /** Command templates, executables and command steps that dropped files bring: anything may run. */
    command: z.boolean().optional(),
  })
  .strict();
export type WatchAllow = z.output<typeof WatchAllowSchema>;

const WatchFolderSchema = z.object({
  /** Absolute folder. */
  dir: filePath('dir'),
  /** Batch-file fields (frames, output, priority…) applied to what lands there; relative paths start at `dir`. */
  defaults: BatchDefaultsSchema.default({}),
  allow: WatchAllowSchema.optional(),
});
export type WatchFolder = z.output<typeof WatchFolderSchema>;

const HardwareSchema = z.object({
  cpu: z.object({ model: z.string(), vendor: z.string(), physicalCores: z.number(), logicalCores: z.number(), speedGHz: z.number().nullable() }),
  memory: z.object({ totalBytes: z.number() }),
  gpus: z.array(
    z.object({
      index: z.number().int().min(0),
      vendor: z.string(),
      model: z.string(),
      vramBytes: z.number().nullable(),
      driver: z.string().nullable(),
      uuid: z.string().optional(),
    }),
  ),
  detectedAt: z.number(),
}) satisfies z.ZodType<HardwareInfo>;

/** A detected program: an adapter's DCC, or one found without an adapter (`supported: false`, e.g. V-Ray). */
const DccInstallSchema = z.object({
  dcc: z.string().min(1),
  executable: z.string(),
  version: z.string().nullable(),
  source: z.enum(['path', 'standard', 'user']),
  label: z.string(),
  supported: z.literal(false).optional(),
}) satisfies z.ZodType<DccInstall>;

interface Setting<S extends z.ZodType> {
  schema: S;
  fallback: z.output<S>;
}
const setting = <S extends z.ZodType>(schema: S, fallback: z.output<S>): Setting<S> => ({ schema, fallback });

/** The stored keys are the settings table's: renaming one would lose what users saved. */
const SETTINGS = {
  defaults: setting(JobDefaultsSchema, JOB_DEFAULTS),
  'dccs.user': setting(z.array(UserExecutableSchema).max(100, 'at most 100 executables'), []),
  // A single folder object is what the first versions stored: read as a list of one.
  watch: setting(z.union([WatchFolderSchema, z.array(WatchFolderSchema)]).transform((v) => (Array.isArray(v) ? v : [v])), []),
  /**
   * Environment overrides that change what a render runs or loads (LD_PRELOAD, PATH, BASH_ENV,
   * PYTHONPATH…: env-policy.ts) are refused from batch files and watch folders unless this is on.
   */
  'security.allowRiskyEnv': setting(z.boolean(), false),
  /** ffmpeg for preview steps (a name on PATH or a full path). */
  'tools.ffmpeg': setting(filePath('ffmpeg').nullable(), null),
  /** Detection results: the engine starts from them and refreshes behind. */
  'cache.hardware': setting(HardwareSchema.nullable(), null),
  /** Newest version first per DCC. */
  'cache.dccs': setting(z.array(DccInstallSchema), []),
};

type Settings = typeof SETTINGS;
export type SettingKey = keyof Settings;
export type SettingValue<K extends SettingKey> = z.output<Settings[K]['schema']>;
export type SettingInput<K extends SettingKey> = z.input<Settings[K]['schema']>;

/** What settings are kept in: the store today, its settings repository later. */
export type SettingsStore = Pick<Store, 'settings'>;

/** Read and write settings by key; the engine, a store-backed queue client and tests all offer it. */
export interface SettingsAccess {
  readSetting<K extends SettingKey>(key: K): SettingValue<K>;
  writeSetting<K extends SettingKey>(key: K, value: SettingInput<K>): SettingValue<K>;
}

/**
 * The setting's value, or its default when unset. A stored value its schema refuses (written by
 * an older Spool, or edited by hand) reads as the default too: a setting must never stop the
 * engine, and the next write replaces it.
 */
export function readSetting<K extends SettingKey>(store: SettingsStore, key: K): SettingValue<K> {
  const { schema, fallback } = definition(key);
  const stored = (store.settings.get(key) as unknown | null);
  if (stored === null) return fallback;
  const parsed = schema.safeParse(stored);
  return parsed.success ? parsed.data : fallback;
}

/** Validates and stores a setting; an InputError names the setting and the field refused. */
export function writeSetting<K extends SettingKey>(store: SettingsStore, key: K, value: SettingInput<K>): SettingValue<K> {
  if (!Object.hasOwn(SETTINGS, key)) throw new InputError('setting', `unknown setting ${JSON.stringify(key)}`);
  const parsed = definition(key).schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError([key, ...issue.path].join('.'), issue.message);
  }
  store.settings.set(key, parsed.data);
  return parsed.data;
}

/** TypeScript cannot narrow SETTINGS[key] by a generic key: the map's own typing vouches for it. */
function definition<K extends SettingKey>(key: K): Setting<z.ZodType<SettingValue<K>, SettingInput<K>>> {
  return SETTINGS[key] as unknown as Setting<z.ZodType<SettingValue<K>, SettingInput<K>>>;
}

export function settingsOf(store: SettingsStore): SettingsAccess {
  return {
    readSetting: (key) => readSetting(store, key),
    writeSetting: (key, value) => writeSetting(store, key, value),
  };
}
