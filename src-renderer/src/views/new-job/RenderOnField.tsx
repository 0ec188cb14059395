import { useEffect, useState } from 'react';
import type { FarmDto } from '../../../../src-preload/contract';
import { call } from '../../bridge/call';
import { Field } from './Field';

const KIND_LABEL: Record<FarmDto['kind'], string> = { slurm: 'Slurm', flamenco: 'Flamenco' };

/**
 * "Render on": this workstation or one of the farm profiles (Settings, `spool farm add`). Shown
 * only when a profile exists. The engine checks that the scene and output are under the farm's
 * shared paths and refuses naming the scene or output field, where the form shows it. `locked`:
 * why it cannot change (Modify, once the job was handed to a farm: lifecycle/farm-change.ts).
 */
export function RenderOnField({ value, error, locked, onChange }: { value: string; error: string | undefined; locked: string | null; onChange(farm: string): void }) {
  const [farms, setFarms] = useState<FarmDto[]>([]);
  useEffect(() => {
    let live = true;
    call('farms.list', {})
      .then((list) => live && setFarms(list))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  // A job on a farm whose profile is gone still says where it is.
  const listed = value && !farms.some((f) => f.name === value) ? [...farms, { name: value, kind: null }] : farms;
  if (listed.length === 0) return null;
  return (
    <Field label="Render on" htmlFor="farm" error={error} hint={locked ?? 'a farm renders from its shared folders'}>
      <select id="farm" className="input" value={value} disabled={locked !== null} onChange={(e) => onChange(e.target.value)} data-testid="render-on">
        <option value="">This workstation</option>
        {listed.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
            {f.kind ? ` (${KIND_LABEL[f.kind]})` : ''}
          </option>
        ))}
      </select>
    </Field>
  );
}
