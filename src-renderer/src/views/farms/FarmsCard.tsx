import { useEffect, useState } from 'react';
import type { FarmDto, FarmTestDto } from '../../../../src-preload/contract';
import { call, errorMessage } from '../../bridge/call';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { FarmAddForm } from './FarmAddForm';

const KIND_LABEL: Record<FarmDto['kind'], string> = { slurm: 'Slurm', flamenco: 'Flamenco' };
const MARK: Record<FarmTestDto['checks'][number]['state'], string> = { ok: '✓', problem: '✗', info: 'i' };

function where(farm: FarmDto): string {
  if (farm.kind === 'flamenco') return `Manager ${farm.url}${farm.hasToken ? ' · token kept' : ''}`;
  return farm.partition ? `partition ${farm.partition}` : "the cluster's default partition";
}

/** One test's answer: each check, what works and what does not, as `spool farm test` prints it. */
function TestResult({ result }: { result: FarmTestDto | 'running' | { error: string } }) {
  if (result === 'running') return <p className="field-hint" data-testid="farm-test-running">Testing… (Slurm runs a tiny job; this can take a while)</p>;
  if ('error' in result) return <p className="field-error" role="alert">{result.error}</p>;
  return (
    <div className="farm-test" data-testid="farm-test">
      <p className={result.ok ? 'farm-test-ok' : 'farm-test-problem'} data-testid="farm-test-verdict">
        {result.ok ? `Farm ${result.name} is ready.` : `Farm ${result.name} is not ready:`}
      </p>
      <ul className="farm-checks">
        {result.checks.map((c, i) => (
          <li key={i} className={`farm-check farm-check-${c.state}`} data-testid="farm-check" data-state={c.state}>
            <span aria-hidden="true">{MARK[c.state]}</span> {c.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Farm profiles (`spool farm add|list|test|remove`): where a job can be handed off ("Render on"
 * in the new-job form and Modify). Tokens never come back from main: the list says one is kept.
 */
export function FarmsCard() {
  const [farms, setFarms] = useState<FarmDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, FarmTestDto | 'running' | { error: string }>>({});
  const [removing, setRemoving] = useState<string | null>(null);

  useEffect(() => {
    call('farms.list', {})
      .then(setFarms)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const test = async (name: string): Promise<void> => {
    setTests((t) => ({ ...t, [name]: 'running' }));
    const result = await call('farms.test', { name }).catch((e: unknown) => ({ error: errorMessage(e) }));
    setTests((t) => ({ ...t, [name]: result }));
  };

  const remove = async (name: string): Promise<void> => {
    setRemoving(null);
    setError(null);
    try {
      await call('farms.remove', { name });
      setFarms((list) => (list ?? []).filter((f) => f.name !== name));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="card" data-testid="farms">
      <h2 className="card-title">Farms</h2>
      <p className="field-hint">Hand jobs to the Slurm cluster or Flamenco Manager your studio runs; Spool keeps showing them here.</p>
      {farms && farms.length > 0 ? (
        <ul className="farm-list">
          {farms.map((f) => (
            <li key={f.name} data-testid="farm-item">
              <div className="farm-row">
                <span className="farm-where">
                  <strong className="mono">{f.name}</strong> <span className="muted">({KIND_LABEL[f.kind]})</span> · {where(f)}
                  <br />
                  <span className="field-hint mono">{f.pathMap.length ? f.pathMap.map((m) => `${m.local} = ${m.farm}`).join(' · ') : 'no shared folders'}</span>
                </span>
                <button type="button" className="btn btn-tool" onClick={() => void test(f.name)} disabled={tests[f.name] === 'running'} aria-label={`Test farm ${f.name}`}>
                  <Icon name="probe" /> Test
                </button>
                <button type="button" className="btn btn-tool btn-tool-danger" onClick={() => setRemoving(f.name)} aria-label={`Remove farm ${f.name}`}>
                  <Icon name="trash" /> Remove
                </button>
              </div>
              {tests[f.name] ? <TestResult result={tests[f.name]!} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="field-hint">{farms ? 'No farm yet: every job renders on this workstation.' : 'Loading…'}</p>
      )}
      {error ? (
        <div className="form-error" role="alert" data-testid="farms-error">
          {error}
        </div>
      ) : null}
      <FarmAddForm onAdded={(farm) => setFarms((list) => [...(list ?? []).filter((f) => f.name !== farm.name), farm].sort((a, b) => a.name.localeCompare(b.name)))} />
      {removing ? (
        <ConfirmDialog
          title={`Remove farm ${removing}?`}
          message="Spool forgets this profile (and its token, if one is kept). Jobs that still render there keep it: it is refused then."
          confirmLabel="Remove"
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
    </section>
  );
}
