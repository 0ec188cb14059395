import { readFileSync } from 'node:fs';
import type { FarmBackend } from './backend';
import { FlamencoBackend } from './flamenco/flamenco-backend';
import type { FarmProfile } from './profile';
import { SlurmBackend } from './slurm/backend';

/**
 * The back-end a profile names. Slurm's clients take SLURM_CONF and the like from the environment.
 * `secretFile` is the stored profile's private token file, if it has one (store: farm_profiles);
 * the token goes to the back-end only, never into a message.
 */
export function backendFor(profile: FarmProfile, secretFile: string | null = null): FarmBackend {
  switch (profile.kind) {
    case 'slurm':
      return new SlurmBackend(profile);
    case 'flamenco':
      return new FlamencoBackend({
        farm: profile.name,
        url: profile.url,
        farmPaths: profile.pathMap.map((m) => m.farm),
        ...(secretFile ? { token: readToken(profile.name, secretFile) } : {}),
      });
  }
}

function readToken(farm: string, file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`farm ${farm}: cannot read its token file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
