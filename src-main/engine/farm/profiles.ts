import { InputError, NotFoundError } from '../errors';
import type { Store } from '../store';
import { parseFarmProfile, type FarmProfile } from './profile';

/** The farm profiles as every face sees them: validated going in and coming out. */
export function listFarms(store: Store): FarmProfile[] {
  return store.farms.profiles().map((stored) => parseFarmProfile(stored.config));
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

/** Adds a profile, or replaces the one of that name. */
export function saveFarm(store: Store, input: unknown): FarmProfile {
  const profile = parseFarmProfile(input);
  store.farms.saveProfile({ name: profile.name, kind: profile.kind, config: profile, secretFile: null });
  return profile;
}

/** Refused while a job still to finish renders there. */
export function removeFarm(store: Store, name: string): void {
  requireFarm(store, name);
  const live = store.farms.liveJobsOn(name);
  if (live.length) throw new InputError('farm', `farm ${name} still has unfinished jobs (${live.join(', ')}): cancel or delete them first`);
  store.farms.removeProfile(name);
}
