import type { FarmAddDto } from '../../../src-preload/contract';

/** The Settings form for a new farm profile, as typed. */
export interface FarmDraft {
  kind: 'slurm' | 'flamenco';
  name: string;
  partition: string;
  /** One sbatch argument per line (an argument may hold spaces: it is passed as it is). */
  sbatchArgs: string;
  url: string;
  token: string;
  pathMap: { local: string; farm: string }[];
}

export const EMPTY_FARM_DRAFT: FarmDraft = { kind: 'slurm', name: '', partition: '', sbatchArgs: '', url: '', token: '', pathMap: [{ local: '', farm: '' }] };

/**
 * What `farms.add` takes: main checks it with `spool farm add`'s own schema and names the field.
 * Empty mapping rows are left out; `rows` says which row each mapping sent came from.
 */
export function farmDraftToInput(d: FarmDraft): { input: FarmAddDto; rows: number[] } {
  const rows = d.pathMap.flatMap((m, i) => (m.local.trim() || m.farm.trim() ? [i] : []));
  const pathMap = rows.map((i) => ({ local: d.pathMap[i]!.local.trim(), farm: d.pathMap[i]!.farm.trim() }));
  if (d.kind === 'flamenco') return { rows, input: { kind: 'flamenco', name: d.name.trim(), url: d.url.trim(), pathMap, ...(d.token.trim() ? { token: d.token } : {}) } };
  const sbatchArgs = d.sbatchArgs.split('\n').map((a) => a.trim()).filter(Boolean);
  return { rows, input: { kind: 'slurm', name: d.name.trim(), partition: d.partition.trim() || null, sbatchArgs, pathMap } };
}

/** Where main's refusal goes: `pathMap.1.local` → the row it came from, `sbatchArgs.0` → the arguments box. */
export function farmErrorTarget(field: string | undefined, rows: readonly number[]): string {
  const row = field ? /^pathMap\.(\d+)/.exec(field) : null;
  if (row) return `pathMap.${rows[Number(row[1])] ?? 0}`;
  const top = field?.split('.')[0] ?? '';
  return ['name', 'partition', 'sbatchArgs', 'url', 'token'].includes(top) ? top : 'form';
}
