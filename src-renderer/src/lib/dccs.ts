import type { DccDescriptorDto } from '../../../src-preload/contract';

/**
 * Lookups over the DCC registry main sends (`dccs.registry`, state/dcc-store.ts). Main decides in
 * the end: a submit without `dcc` is resolved there too.
 */

/** A DCC's descriptor, or a plain stand-in for an id the registry does not hold (yet). */
export function dccInfo(registry: readonly DccDescriptorDto[], id: string): DccDescriptorDto {
  return (
    registry.find((d) => d.id === id) ?? {
      id,
      label: id,
      letter: (id[0] ?? '?').toUpperCase(),
      extensions: [],
      sceneOptional: false,
      overrides: [],
      tokens: [],
      renderers: [],
      detected: false,
    }
  );
}

export function dccForScene(registry: readonly DccDescriptorDto[], path: string): DccDescriptorDto | null {
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (dot <= slash + 1) return null;
  const ext = path.slice(dot).toLowerCase();
  return registry.find((d) => d.extensions.includes(ext)) ?? null;
}

/** The DCCs whose renderers include this one (`vray` → Maya, Houdini, Cinema 4D). */
export function hostsOf(registry: readonly DccDescriptorDto[], renderer: string): DccDescriptorDto[] {
  return registry.filter((d) => d.renderers.includes(renderer));
}
