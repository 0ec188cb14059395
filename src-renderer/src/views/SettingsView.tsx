import { useEffect, useState, type FormEvent } from 'react';
import type { AppInfoDto, SettingsDto } from '../../../src-preload/contract';
import { call, errorMessage } from '../bridge/call';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { useDccs } from '../state/dcc-store';
import { useToasts } from '../state/toasts-store';
import { FarmsCard } from './farms/FarmsCard';
import { WatchFoldersCard } from './WatchFoldersCard';

interface Draft {
  retries: string;
  stall: string;
  timeout: string;
  executables: { dcc: string; executable: string }[];
}

function toDraft(s: SettingsDto): Draft {
  return {
    retries: String(s.defaults.retries),
    stall: s.defaults.stallTimeoutSec === null ? '' : String(s.defaults.stallTimeoutSec),
    timeout: s.defaults.taskTimeoutSec === null ? '' : String(s.defaults.taskTimeoutSec),
    executables: s.userExecutables.map((e) => ({ ...e })),
  };
}

function parseOptionalInt(text: string, what: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t) || Number(t) < 1) throw new Error(`${what} is a whole number of seconds (or empty for never)`);
  return Number(t);
}

export function SettingsView() {
  const [info, setInfo] = useState<AppInfoDto | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // An override replaces what detection finds, so only DCCs Spool looks for can have one.
  const overridable = useDccs().filter((d) => d.detected);

  useEffect(() => {
    call('app.info', {}).then(setInfo).catch(() => {});
    call('settings.get', {})
      .then((s) => setDraft(toDraft(s)))
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, []);

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!draft) return;
    setSaveError(null);
    let input: Partial<SettingsDto>;
    try {
      if (!/^\d+$/.test(draft.retries.trim())) throw new Error('retries is a whole number');
      input = {
        defaults: {
          retries: Number(draft.retries.trim()),
          stallTimeoutSec: parseOptionalInt(draft.stall, 'stall timeout'),
          taskTimeoutSec: parseOptionalInt(draft.timeout, 'total timeout'),
        },
        userExecutables: draft.executables.filter((x) => x.executable.trim()).map((x) => ({ dcc: x.dcc, executable: x.executable.trim() })),
      };
    } catch (error) {
      setSaveError(errorMessage(error));
      return;
    }
    setSaving(true);
    try {
      setDraft(toDraft(await call('settings.set', input)));
      useToasts.getState().push({ kind: 'success', title: 'Settings saved', message: 'New jobs use these defaults.' });
    } catch (error) {
      setSaveError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const update = (patch: Partial<Draft>): void => setDraft((d) => (d ? { ...d, ...patch } : d));

  return (
    <div className="page page-narrow" data-testid="settings-view">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      <section className="card">
        <h2 className="card-title">This Spool</h2>
        <table className="kv">
          <tbody>
            <tr>
              <th>Data folder</th>
              <td className="mono" data-testid="data-dir">
                {info?.dataDir ?? '…'}
              </td>
            </tr>
            <tr>
              <th>Version</th>
              <td className="mono">{info?.version ?? '…'}</td>
            </tr>
            <tr>
              <th>Mode</th>
              <td>{info ? (info.mode === 'browser' ? 'Browser (spool serve)' : 'Desktop app') : '…'}</td>
            </tr>
            <tr>
              <th>Platform</th>
              <td className="mono">{info?.platform ?? '…'}</td>
            </tr>
          </tbody>
        </table>
      </section>
      {loadError ? (
        <EmptyState title="Could not load the settings">
          <p className="error-text">{loadError}</p>
        </EmptyState>
      ) : !draft ? (
        <EmptyState title="Loading settings…" />
      ) : (
        <form className="card" onSubmit={(e) => void save(e)}>
          <h2 className="card-title">Defaults for new jobs</h2>
          <div className="form-grid form-grid-3">
            <div className="field">
              <label className="field-label" htmlFor="set-retries">
                Retries
              </label>
              <input id="set-retries" className="input mono" value={draft.retries} onChange={(e) => update({ retries: e.target.value })} />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="set-stall">
                Stall timeout (s)
              </label>
              <input id="set-stall" className="input mono" value={draft.stall} placeholder="never" onChange={(e) => update({ stall: e.target.value })} />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="set-timeout">
                Total timeout (s)
              </label>
              <input id="set-timeout" className="input mono" value={draft.timeout} placeholder="never" onChange={(e) => update({ timeout: e.target.value })} />
            </div>
          </div>
          <h2 className="card-title">Executable overrides</h2>
          <p className="muted">Use these instead of what Spool finds on PATH or in the standard install folders.</p>
          {draft.executables.map((x, i) => (
            <div className="input-row" key={i}>
              <select
                className="input input-dcc"
                aria-label="Application"
                value={x.dcc}
                onChange={(e) => update({ executables: draft.executables.map((y, j) => (j === i ? { ...y, dcc: e.target.value } : y)) })}
              >
                {overridable.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </select>
              <input
                className="input mono"
                aria-label="Executable path"
                value={x.executable}
                placeholder="/opt/blender/blender"
                onChange={(e) => update({ executables: draft.executables.map((y, j) => (j === i ? { ...y, executable: e.target.value } : y)) })}
              />
              <button type="button" className="icon-btn" aria-label="Remove" onClick={() => update({ executables: draft.executables.filter((_, j) => j !== i) })}>
                <Icon name="close" />
              </button>
            </div>
          ))}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => update({ executables: [...draft.executables, { dcc: 'blender', executable: '' }] })}>
              <Icon name="plus" /> Add override
            </button>
            <span className="toolbar-fill" />
            {saveError ? (
              <span className="field-error" role="alert">
                {saveError}
              </span>
            ) : null}
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
      <WatchFoldersCard />
      <FarmsCard />
    </div>
  );
}
