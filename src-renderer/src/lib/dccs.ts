/**
 * What the renderer knows about DCCs without asking main: labels, badge letters and which scene
 * extensions each claims (mirrors the adapters' `extensions`; main decides in the end, since a
 * submit without `dcc` is resolved there too).
 */
export interface DccInfo {
  id: string;
  label: string;
  letter: string;
  extensions: string[];
  /** Whether the adapter renders without a scene file. */
  sceneOptional?: boolean;
}

export const KNOWN_DCCS: readonly DccInfo[] = [
  { id: 'blender', label: 'Blender', letter: 'B', extensions: ['.blend'] },
  { id: 'maya', label: 'Maya', letter: 'M', extensions: ['.mb', '.ma'] },
  { id: 'houdini-hython', label: 'Houdini', letter: 'H', extensions: ['.hip', '.hiplc', '.hipnc'] },
  { id: 'houdini-husk', label: 'Houdini husk', letter: 'U', extensions: ['.usd', '.usda', '.usdc', '.usdz'] },
  { id: 'cinema4d', label: 'Cinema 4D', letter: 'C', extensions: ['.c4d'] },
  { id: '3dsmax', label: '3ds Max', letter: '3', extensions: ['.max'] },
  { id: 'kick', label: 'Arnold kick', letter: 'A', extensions: ['.ass'] },
  { id: 'nuke', label: 'Nuke', letter: 'N', extensions: ['.nk'] },
  { id: 'povray', label: 'POV-Ray', letter: 'P', extensions: ['.pov'] },
  { id: 'command', label: 'Command', letter: '$', extensions: [], sceneOptional: true },
];

export function dccInfo(id: string): DccInfo {
  return KNOWN_DCCS.find((d) => d.id === id) ?? { id, label: id, letter: (id[0] ?? '?').toUpperCase(), extensions: [] };
}

export function dccForScene(path: string): DccInfo | null {
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (dot <= slash + 1) return null;
  const ext = path.slice(dot).toLowerCase();
  return KNOWN_DCCS.find((d) => d.extensions.includes(ext)) ?? null;
}
