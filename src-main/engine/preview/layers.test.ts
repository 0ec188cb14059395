import { describe, expect, it } from 'vitest';
import { channelMapping, defaultLayer, layersOf } from './layers';

describe('image layers from EXR channel names', () => {
  it('groups Blender multilayer channels and picks Combined as the beauty', () => {
    const layers = layersOf(['ViewLayer.Combined.R', 'ViewLayer.Combined.G', 'ViewLayer.Combined.B', 'ViewLayer.Combined.A', 'ViewLayer.Depth.Z', 'ViewLayer.Normal.X', 'ViewLayer.Normal.Y', 'ViewLayer.Normal.Z']);
    expect(layers.map((l) => l.name)).toEqual(['ViewLayer.Combined', 'ViewLayer.Depth', 'ViewLayer.Normal']);
    expect(defaultLayer(layers)).toBe('ViewLayer.Combined');
    expect(channelMapping(layers[2]!)).toEqual({ spec: 'R=ViewLayer.Normal.X,G=ViewLayer.Normal.Y,B=ViewLayer.Normal.Z', color: false });
  });

  it('prefers plain RGBA, then a beauty layer, then the first with colour', () => {
    expect(defaultLayer(layersOf(['diffuse.R', 'diffuse.G', 'diffuse.B', 'R', 'G', 'B']))).toBe('');
    expect(defaultLayer(layersOf(['spec.R', 'spec.G', 'spec.B', 'beauty.R', 'beauty.G', 'beauty.B']))).toBe('beauty');
    expect(defaultLayer(layersOf(['depth.Z', 'spec.R', 'spec.G', 'spec.B']))).toBe('spec');
    expect(defaultLayer([])).toBeNull();
  });

  it('refuses a channel name oiiotool --ch cannot carry', () => {
    expect(channelMapping({ name: 'a,b', channels: ['R', 'G', 'B'] })).toBeNull();
  });
});
