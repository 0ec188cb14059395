/**
 * Layers of a multichannel image (OpenEXR), from its channel names. Blender's multilayer EXR
 * names channels `ViewLayer.Combined.R`, `ViewLayer.Depth.Z`…: a layer is every channel name
 * but its last part, and '' holds plain `R`, `G`, `B`, `A`. Pure: the renderer may import it.
 */
export interface ImageLayer {
  name: string;
  /** Last parts of its channel names, in file order (`R`, `G`, `B`, `A`; `Z`; `X`, `Y`, `Z`). */
  channels: string[];
}

export function layersOf(channels: readonly string[]): ImageLayer[] {
  const byName = new Map<string, string[]>();
  for (const channel of channels) {
    const dot = channel.lastIndexOf('.');
    const layer = dot < 0 ? '' : channel.slice(0, dot);
    const list = byName.get(layer) ?? [];
    list.push(dot < 0 ? channel : channel.slice(dot + 1));
    byName.set(layer, list);
  }
  return [...byName].map(([name, list]) => ({ name, channels: list }));
}

const BEAUTY = /(^|\.)(combined|beauty|rgba?)$/i;

/** The beauty: plain RGB, else Blender's Combined (or a layer called beauty/rgba), else the first layer with colour, else the first. */
export function defaultLayer(layers: readonly ImageLayer[]): string | null {
  const hasRgb = (l: ImageLayer): boolean => ['R', 'G', 'B'].every((c) => l.channels.includes(c));
  return (
    layers.find((l) => l.name === '' && hasRgb(l))?.name ??
    layers.find((l) => BEAUTY.test(l.name))?.name ??
    layers.find(hasRgb)?.name ??
    layers[0]?.name ??
    null
  );
}

/**
 * oiiotool's `--ch` for a layer shown as RGB: its R, G, B; a vector pass's X, Y, Z; one channel
 * (depth, mist) as grey. `color` says whether it holds light (converted from linear to sRGB) or
 * data (shown as stored). Null when a name cannot be written in `--ch` (a comma or `=` in it).
 */
export function channelMapping(layer: ImageLayer): { spec: string; color: boolean } | null {
  const full = (c: string): string => (layer.name ? `${layer.name}.${c}` : c);
  const has = (list: string[]): boolean => list.every((c) => layer.channels.includes(c));
  let picks: string[];
  let color = false;
  if (has(['R', 'G', 'B'])) {
    picks = ['R', 'G', 'B'];
    color = true;
  } else if (has(['X', 'Y', 'Z'])) picks = ['X', 'Y', 'Z'];
  else if (layer.channels.length >= 3) picks = layer.channels.slice(0, 3);
  else if (layer.channels.length >= 1) picks = [layer.channels[0]!, layer.channels[0]!, layer.channels[0]!];
  else return null;
  const names = picks.map(full);
  if (names.some((n) => /[,=]/.test(n))) return null;
  return { spec: `R=${names[0]},G=${names[1]},B=${names[2]}`, color };
}
