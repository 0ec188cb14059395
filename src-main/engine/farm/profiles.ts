import path from 'node:path';
import { InputError, NotFoundError } from '../errors';
import type { Store } from '../store';
import { backendFor } from './backends';
import { removeFarmToken, writeFarmToken } from './farm-tokens';
import { parseFarmAddInput, parseFarmProfile, type FarmProfile } from './profile';

/** The farm profiles as every face sees them: validated going in and coming out. */
export function listFarms(store: Store): FarmProfile[] {
  return store.farms.profiles().map((stored) => parseFarmProfile(stored.config));
}

/** A profile and whether a token is kept for it (the token itself never leaves its file). */
export type FarmListing = FarmProfile & { hasToken: boolean };

export function listFarmsWithTokens(store: Store): FarmListing[] {
  return store.farms.profiles().map((stored) => ({ ...parseFarmProfile(stored.config), hasToken: stored.secretFile !== null }));
}

export function findFarm(store: Store, name: string): FarmProfile | null {
  const stored = store.farms.profile(name);
  return stored ? parseFarmProfile(stored.config) : null;
}

export function requireFarm(store: Store, name: string): FarmProfile {
  const farm = findFarm(store, name);
  if (!farm) throw new NotFoundError(`no farm named "${name}" (spool farm list shows them; spool farm add creates one)`);
  return farm;
}

/**
 * Adds a profile, or replaces the one of that name (its token too: a replacement without one has
 * none). A token goes to its private file first, so the store never names a file not written.
 */
export function saveFarm(store: Store, input: unknown): FarmProfile {
  const { profile, token } = parseFarmAddInput(input);
  const old = store.farms.profile(profile.name)?.secretFile ?? null;
  const secretFile = token === null ? null : writeFarmToken(path.dirname(store.file), profile.name, token);
  store.farms.saveProfile({ name: profile.name, kind: profile.kind, config: profile, secretFile });
  if (old !== secretFile) removeFarmToken(old);
  return profile;
}

/** Refused while a job still to finish renders there. */
export function removeFarm(store: Store, name: string): void {
  requireFarm(store, name);
  const live = store.farms.liveJobsOn(name);
  if (live.length) throw new InputError('farm', `farm ${name} still has unfinished jobs (${live.join(', ')}): cancel or delete them first`);
  const secretFile = store.farms.profile(name)?.secretFile ?? null;
  store.farms.removeProfile(name);
  removeFarmToken(secretFile);
}

/** One line of a farm test: what works (`ok`), what does not (`problem`), or a note (`info`). */
export interface FarmTestCheck {
  state: 'ok' | 'problem' | 'info';
  text: string;
}

export interface FarmTestResult {
  name: string;
  ok: boolean;
  version: string | null;
  checks: FarmTestCheck[];
}

/** `spool farm test NAME` and Settings' Test: the back-end's own check, with its token. */
export async function testFarm(store: Store, name: string): Promise<FarmTestResult> {
  const profile = requireFarm(store, name);
  const secretFile = store.farms.profile(name)?.secretFile ?? null;
  let result;
  try {
    result = await backendFor(profile, secretFile).check();
  } catch (error) {
    // A token file gone or unreadable is one of the things that does not work, not a crash.
    result = { ok: false, findings: [`not ok: ${(error as Error).message}`] };
  }
  return { name, ok: result.ok, version: result.version ?? null, checks: result.findings.map(classify) };
}

/** The back-ends word each finding `ok: …`, `not ok: …` / `problem: …`, `info: …` or `not checked: …`. */
function classify(text: string): FarmTestCheck {
  if (text.startsWith('ok:')) return { state: 'ok', text };
  if (text.startsWith('info:') || text.startsWith('not checked:')) return { state: 'info', text };
  return { state: 'problem', text };
}
