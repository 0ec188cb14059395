import { useMemo } from 'react';
import { STATUS_LABEL } from '../../lib/queue';
import { useJobs } from '../../state/jobs-store';
import { Field } from './Field';

/** "Depends on": jobs from the queue this one waits for (it starts once they all succeeded). */
export function DependsOnField({ value, onChange, exclude, error }: { value: number[]; onChange(ids: number[]): void; exclude?: number; error?: string }) {
  const byId = useJobs((s) => s.byId);
  const jobs = useMemo(() => [...byId.values()].filter((j) => j.id !== exclude).sort((a, b) => b.id - a.id), [byId, exclude]);
  const chosen = value.map((id) => byId.get(id)).filter((j) => j !== undefined);
  return (
    <Field
      label="Depends on"
      htmlFor="after"
      error={error}
      wide
      hint={chosen.length ? `starts once ${chosen.map((j) => `#${j.id} ${j.name}`).join(', ')} succeeded; shown Blocked until then` : 'none: starts when a device is free (Ctrl+click picks several)'}
    >
      <select
        id="after"
        className="input"
        multiple
        size={Math.min(4, Math.max(2, jobs.length))}
        value={value.map(String)}
        onChange={(e) => onChange([...e.target.selectedOptions].map((o) => Number(o.value)))}
        data-testid="after-select"
      >
        {jobs.map((j) => (
          <option key={j.id} value={j.id}>
            #{j.id} {j.name} — {STATUS_LABEL[j.status] ?? j.status}
          </option>
        ))}
      </select>
    </Field>
  );
}
