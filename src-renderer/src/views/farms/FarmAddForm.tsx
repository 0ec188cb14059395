import { useState, type FormEvent } from 'react';
import type { FarmDto } from '../../../../src-preload/contract';
import { call, CommandFailure, errorMessage } from '../../bridge/call';
import { Icon } from '../../components/Icon';
import { EMPTY_FARM_DRAFT, farmDraftToInput, farmErrorTarget, type FarmDraft } from '../../lib/farm-form';
import { Field } from '../new-job/Field';

/**
 * Adds a farm profile, as `spool farm add` does: main checks it with the CLI's own schema and the
 * refusal shows beside the field it names. A token typed here goes to main once, which keeps it in
 * a private file; the form forgets it as soon as the profile is saved.
 */
export function FarmAddForm({ onAdded }: { onAdded(farm: FarmDto): void }) {
  const [draft, setDraft] = useState<FarmDraft>(EMPTY_FARM_DRAFT);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const update = (patch: Partial<FarmDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const setRow = (i: number, patch: Partial<FarmDraft['pathMap'][number]>): void => update({ pathMap: draft.pathMap.map((m, j) => (j === i ? { ...m, ...patch } : m)) });

  const add = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setErrors({});
    const { input, rows } = farmDraftToInput(draft);
    setSaving(true);
    try {
      onAdded(await call('farms.add', input));
      setDraft(EMPTY_FARM_DRAFT);
    } catch (error) {
      const field = error instanceof CommandFailure ? error.field : undefined;
      // Beside its field the message need not repeat the field's name.
      const text = field ? errorMessage(error).replace(`${field}: `, '') : errorMessage(error);
      setErrors({ [farmErrorTarget(field, rows)]: text });
    } finally {
      setSaving(false);
    }
  };

  const slurm = draft.kind === 'slurm';
  return (
    <form onSubmit={(e) => void add(e)} data-testid="farm-add">
      <h3 className="card-title">Add a farm</h3>
      <div className="form-grid">
        <Field label="Kind" htmlFor="farm-kind">
          <select id="farm-kind" className="input" value={draft.kind} onChange={(e) => update({ kind: e.target.value as FarmDraft['kind'] })}>
            <option value="slurm">Slurm</option>
            <option value="flamenco">Flamenco</option>
          </select>
        </Field>
        <Field label="Name" htmlFor="farm-name" error={errors.name} hint="letters, digits, . _ -">
          <input id="farm-name" className="input mono" value={draft.name} placeholder="hpc" onChange={(e) => update({ name: e.target.value })} />
        </Field>
        {slurm ? (
          <>
            <Field label="Partition" htmlFor="farm-partition" error={errors.partition} hint="empty: the cluster's default">
              <input id="farm-partition" className="input mono" value={draft.partition} placeholder="render" onChange={(e) => update({ partition: e.target.value })} />
            </Field>
            <Field label="sbatch arguments" htmlFor="farm-sbatch" error={errors.sbatchArgs} hint="one per line, passed as they are: --time=60, --account=…">
              <textarea id="farm-sbatch" className="input mono" rows={2} value={draft.sbatchArgs} onChange={(e) => update({ sbatchArgs: e.target.value })} />
            </Field>
          </>
        ) : (
          <>
            <Field label="Manager URL" htmlFor="farm-url" error={errors.url}>
              <input id="farm-url" className="input mono" value={draft.url} placeholder="http://manager:8080" onChange={(e) => update({ url: e.target.value })} />
            </Field>
            <Field label="Token (optional)" htmlFor="farm-token" error={errors.token} hint="kept in a private file beside the queue, never shown again">
              <input id="farm-token" className="input mono" type="password" autoComplete="off" value={draft.token} onChange={(e) => update({ token: e.target.value })} />
            </Field>
          </>
        )}
        <div className="field farm-maps">
          <span className="field-label">Shared folders (path mapping)</span>
          <div className="field-hint">The same folder seen here (local) and on the farm's machines; scenes and outputs of farm jobs must be under one.</div>
          {draft.pathMap.map((m, i) => (
            <div key={i} data-testid="farm-map-row">
              <div className="input-row">
                <input className="input mono" aria-label={`Local folder ${i + 1}`} value={m.local} placeholder="/mnt/projects" onChange={(e) => setRow(i, { local: e.target.value })} />
                <span aria-hidden="true">=</span>
                <input className="input mono" aria-label={`Farm folder ${i + 1}`} value={m.farm} placeholder="/shared/projects" onChange={(e) => setRow(i, { farm: e.target.value })} />
                <button type="button" className="icon-btn" aria-label={`Remove mapping ${i + 1}`} onClick={() => update({ pathMap: draft.pathMap.filter((_, j) => j !== i) })}>
                  <Icon name="close" />
                </button>
              </div>
              {errors[`pathMap.${i}`] ? (
                <div className="field-error" role="alert" data-testid="farm-map-error">
                  {errors[`pathMap.${i}`]}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      </div>
      {errors.form ? (
        <div className="form-error" role="alert" data-testid="farm-error">
          {errors.form}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => update({ pathMap: [...draft.pathMap, { local: '', farm: '' }] })}>
          <Icon name="plus" /> Add mapping
        </button>
        <span className="toolbar-fill" />
        <button type="submit" className="btn btn-primary" disabled={saving || !draft.name.trim()} data-testid="farm-add-submit">
          <Icon name="plus" /> {saving ? 'Adding…' : 'Add farm'}
        </button>
      </div>
    </form>
  );
}
