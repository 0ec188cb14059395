import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { mapPath, type PathMap } from './path-map';

const maps: PathMap[] = [
  { local: '/Volumes/Studio', farm: '/mnt/studio' },
  { local: '/Volumes/Studio/renders/', farm: '/mnt/fast-renders' },
  { local: 'D:\\Projects', farm: '/srv/projects' },
];

describe('mapPath', () => {
  it('maps by the most specific mapping, folder by folder, keeping names as data', () => {
    expect(mapPath('/Volumes/Studio/shot 010/scène «v2».blend', maps)).toBe('/mnt/studio/shot 010/scène «v2».blend');
    expect(mapPath('/Volumes/Studio/renders/shot/frame_####', maps)).toBe('/mnt/fast-renders/shot/frame_####');
    expect(mapPath('/Volumes/Studio', maps)).toBe('/mnt/studio');
  });

  it('maps Windows paths case-blind, with either separator', () => {
    expect(mapPath('d:/projects/a\\b.blend', maps)).toBe('/srv/projects/a/b.blend');
    expect(mapPath('C:\\out', [{ local: 'C:\\', farm: 'X:\\farm' }])).toBe('X:\\farm\\out');
  });

  it('refuses paths outside every mapping, naming the mappings', () => {
    const refusals = ['/Volumes/StudioB/x.blend', '/Volumes/Studio/../etc/passwd', '/volumes/studio/x.blend'];
    for (const local of refusals) {
      const error = (() => {
        try {
          return mapPath(local, maps, 'scene');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `scene: ${local} is not under a path shared with the farm (mapped: /Volumes/Studio → /mnt/studio, /Volumes/Studio/renders/ → /mnt/fast-renders, D:\\Projects → /srv/projects); add one with --path-map LOCAL=FARM`,
      );
    }
    expect(() => mapPath('/a/b', [], 'output')).toThrow('output: /a/b is not under a path shared with the farm (this farm profile maps no paths); add one with --path-map LOCAL=FARM');
    expect(() => mapPath('relative/x.blend', maps)).toThrow('path: relative/x.blend is not an absolute path, so no farm can find it');
  });
});
