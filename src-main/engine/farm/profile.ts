import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors';

/**
 * Farm profiles: where a job can be handed off, validated at every boundary. A profile holds no
 * secret; a farm that needs a token keeps it in a private file (store: farm_profiles.secret_file).
 */
const noNul = (s: string): boolean => !s.includes('\0');
const absolute = (what: string) =>
  z
    .string()
    .min(1, `${what} is empty`)
    .max(4096)
    .refine(noNul, `${what} contains a NUL character`)
    .refine((p) => path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p), `${what} must be an absolute path`);

export const FarmNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a farm name is letters, digits, . _ - (up to 64), starting with a letter or digit');

/** One shared folder: seen at `local` here and at `farm` on the farm's machines. */
export const PathMapSchema = z.object({ local: absolute('the local side of a path mapping'), farm: absolute('the farm side of a path mapping') }).strict();
export type PathMap = z.output<typeof PathMapSchema>;

const common = { name: FarmNameSchema, pathMap: z.array(PathMapSchema).max(32).default([]) };

export const SlurmProfileSchema = z
  .object({
    kind: z.literal('slurm'),
    ...common,
    partition: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a partition name is letters, digits, . _ -').nullable().default(null),
    /** Passed to sbatch as they are (argv, never a shell): --time=…, --gres=…, --account=… */
    sbatchArgs: z.array(z.string().min(1).max(1024).refine(noNul, 'an sbatch argument contains a NUL character').refine((a) => a.startsWith('-'), 'an sbatch argument starts with - (e.g. --time=60)')).max(32).default([]),
  })
  .strict();

export const FlamencoProfileSchema = z
  .object({
    kind: z.literal('flamenco'),
    ...common,
    url: z
      .string()
      .url('url must be a URL like http://manager:8080')
      .refine((u) => /^https?:\/\//.test(u), 'url must start with http:// or https://')
      // The URL is stored in plain text and shown in Settings: a password in it would be too.
      .refine((u) => !/^https?:\/\/[^/?#]*@/.test(u), 'url must not carry a user or password: give a token instead'),
  })
  .strict();

export const FarmProfileSchema = z.discriminatedUnion('kind', [SlurmProfileSchema, FlamencoProfileSchema]);
export type FarmProfile = z.output<typeof FarmProfileSchema>;
export type SlurmProfile = z.output<typeof SlurmProfileSchema>;
export type FlamencoProfile = z.output<typeof FlamencoProfileSchema>;

/** A farm's token as typed or read from a file: one line, kept in a private file, never in the store. */
export const FarmTokenSchema = z
  .string()
  .trim()
  .min(1, 'the token is empty')
  .max(4096, 'the token is at most 4096 characters')
  .refine((t) => !/[\0\r\n]/.test(t), 'the token is one line');

/**
 * What adding a farm takes (CLI and Settings alike): a profile, and for Flamenco an optional token
 * that goes to a private file (farm-tokens.ts), never into the profile.
 */
export const FarmAddInputSchema = z.discriminatedUnion('kind', [SlurmProfileSchema, FlamencoProfileSchema.extend({ token: FarmTokenSchema.optional() }).strict()]);
export type FarmAddInput = z.input<typeof FarmAddInputSchema>;

/** Validates a profile; the error names the field. */
export function parseFarmProfile(input: unknown): FarmProfile {
  return parseOrThrow(FarmProfileSchema, input);
}

/** Validates what adding a farm takes, and splits the token off the profile. */
export function parseFarmAddInput(input: unknown): { profile: FarmProfile; token: string | null } {
  const parsed = parseOrThrow(FarmAddInputSchema, input);
  if (parsed.kind === 'slurm') return { profile: parsed, token: null };
  const { token, ...profile } = parsed;
  return { profile, token: token ?? null };
}

function parseOrThrow<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.output<S>;
  const issue = result.error.issues[0]!;
  throw new InputError(issue.path.join('.') || 'farm', issue.message);
}

/** `LOCAL=FARM` as typed on the command line. */
export function parsePathMapArg(text: string): PathMap {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new InputError('--path-map', `"${text}" is not LOCAL=FARM (e.g. /mnt/projects=/shared/projects)`);
  return { local: text.slice(0, at), farm: text.slice(at + 1) };
}

export function describeMapping(map: readonly PathMap[]): string {
  return map.length ? map.map((m) => `${m.local} → ${m.farm}`).join(', ') : 'none';
}
