import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { mapArgv, mapLineToLocal, requireMapped, toFarm, toLocal } from './path-map';
import { parseFarmProfile } from './profile';

const MAP = [
  { local: '/mnt/projects', farm: '/shared/projects' },
  { local: '/mnt/projects/big renders', farm: '/scratch/renders' },
];

describe('farm path mapping', () => {
  it('maps whole folder names, longest prefix first, both ways', () => {
    expect(toFarm(MAP, '/mnt/projects/a/shot 1.blend')).toBe('/shared/projects/a/shot 1.blend');
    expect(toFarm(MAP, '/mnt/projects/big renders/f_####.png')).toBe('/scratch/renders/f_####.png');
    expect(toFarm(MAP, '/mnt/projectsX/a.blend')).toBeNull();
    expect(toFarm(MAP, '/mnt/projects/../etc/passwd')).toBeNull();
    expect(toFarm(MAP, '/mnt/projects/a/../b.blend')).toBe('/shared/projects/b.blend');
    expect(toLocal(MAP, '/scratch/renders/f_0001.png')).toBe('/mnt/projects/big renders/f_0001.png');
  });

  it('rewrites only path arguments of an argv, the rest byte for byte', () => {
    expect(mapArgv(MAP, ['blender', '-b', '/mnt/projects/a.blend', '-o', '/mnt/projects/out/f_####', '--x=/mnt/projects/y', '$HOME'])).toEqual([
      'blender',
      '-b',
      '/shared/projects/a.blend',
      '-o',
      '/shared/projects/out/f_####',
      '--x=/shared/projects/y',
      '$HOME',
    ]);
  });

  it('reads farm paths in log lines as this machine’s', () => {
    expect(mapLineToLocal(MAP, "Saved: '/scratch/renders/f_0001.png'")).toBe("Saved: '/mnt/projects/big renders/f_0001.png'");
  });

  it('refuses a scene or output outside every mapping, naming the mapping', () => {
    expect(() => requireMapped('lab', MAP, { scene: '/home/me/a.blend', output: null })).toThrow(InputError);
    expect(() => requireMapped('lab', MAP, { scene: '/home/me/a.blend', output: null })).toThrow(/scene: .*\/mnt\/projects → \/shared\/projects/);
    expect(() => requireMapped('lab', [], { scene: '/mnt/projects/a.blend', output: null })).toThrow(/--path-map/);
    expect(() => requireMapped('lab', MAP, { scene: '/mnt/projects/a.blend', output: '/mnt/projects/out/f_####' })).not.toThrow();
  });

  it('a profile refuses a relative side of a mapping, naming the field', () => {
    expect(() => parseFarmProfile({ kind: 'slurm', name: 'x', pathMap: [{ local: '/mnt/p', farm: 'relative' }] })).toThrow('pathMap.0.farm: the farm side of a path mapping must be an absolute path');
  });
});
