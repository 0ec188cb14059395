import { statSync, type BigIntStats } from 'node:fs';
import { InputError } from '../errors';

/**
 * The scene a probe is asked about, proven to be a readable file first: a missing or odd path is
 * the user's input to fix (400, field `scene`), never an internal failure. Returns its stat, which
 * also keys the probe cache.
 */
export function requireSceneFile(scene: string): BigIntStats {
  let stat: BigIntStats;
  try {
    stat = statSync(scene, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError('scene', `no such file: ${scene}`);
    if (code === 'EACCES') throw new InputError('scene', `not allowed to read ${scene}`);
    throw new InputError('scene', `cannot read ${scene} (${code ?? 'unknown error'})`);
  }
  if (!stat.isFile()) throw new InputError('scene', `not a file: ${scene}`);
  return stat;
}
