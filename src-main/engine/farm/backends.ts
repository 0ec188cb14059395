import type { FarmBackend } from './backend';
import type { FarmProfile } from './profile';
import { SlurmBackend } from './slurm/backend';

/** The back-end a profile names. Slurm's clients take SLURM_CONF and the like from the environment. */
export function backendFor(profile: FarmProfile): FarmBackend {
  switch (profile.kind) {
    case 'slurm':
      return new SlurmBackend(profile);
    case 'flamenco':
      // The Flamenco REST client (farm/flamenco/) plugs in here.
      throw new Error(`farm ${profile.name}: the Flamenco client is not in this build yet`);
  }
}
