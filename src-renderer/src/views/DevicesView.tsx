import { useCallback, useEffect, useState } from 'react';
import type { DccInstallDto, HardwareDto } from '../../../src-preload/contract';
import { call, errorMessage } from '../bridge/call';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { hostsOf } from '../lib/dccs';
import { formatBytes, formatClock } from '../lib/format';
import { useDccs } from '../state/dcc-store';

type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

export function DevicesView() {
  const [hardware, setHardware] = useState<Loadable<HardwareDto | null>>({ state: 'loading' });
  const [dccs, setDccs] = useState<Loadable<DccInstallDto[]>>({ state: 'loading' });
  const registry = useDccs();

  const load = useCallback((refresh: boolean) => {
    setHardware({ state: 'loading' });
    setDccs({ state: 'loading' });
    call('devices.get', refresh ? { refresh } : {})
      .then((value) => setHardware({ state: 'ready', value }))
      .catch((e: unknown) => setHardware({ state: 'error', message: errorMessage(e) }));
    call('dccs.list', refresh ? { refresh } : {})
      .then((value) => setDccs({ state: 'ready', value: Array.isArray(value) ? value : [] }))
      .catch((e: unknown) => setDccs({ state: 'error', message: errorMessage(e) }));
  }, []);
  useEffect(() => load(false), [load]);

  return (
    <div className="page" data-testid="devices-view">
      <header className="page-head">
        <h1>Devices</h1>
        <span className="toolbar-fill" />
        <button type="button" className="btn" onClick={() => load(true)}>
          <Icon name="refresh" /> Detect again
        </button>
      </header>
      <section className="card">
        <h2 className="card-title">Hardware</h2>
        {hardware.state === 'loading' || (hardware.state === 'ready' && hardware.value === null) ? (
          <div className="muted">
            <span className="spinner" aria-hidden /> detecting…
          </div>
        ) : hardware.state === 'error' ? (
          <p className="error-text">{hardware.message}</p>
        ) : hardware.value ? (
          <table className="kv">
            <tbody>
              <tr>
                <th>CPU</th>
                <td>
                  {hardware.value.cpu.model} · {hardware.value.cpu.physicalCores} cores / {hardware.value.cpu.logicalCores} threads
                  {hardware.value.cpu.speedGHz ? ` · ${hardware.value.cpu.speedGHz.toFixed(2)} GHz` : ''}
                </td>
              </tr>
              <tr>
                <th>Memory</th>
                <td>{formatBytes(hardware.value.memory.totalBytes)}</td>
              </tr>
              {hardware.value.gpus.length === 0 ? (
                <tr>
                  <th>GPUs</th>
                  <td className="muted">none found: GPU jobs cannot run on this machine</td>
                </tr>
              ) : (
                hardware.value.gpus.map((g) => (
                  <tr key={g.index}>
                    <th>GPU {g.index}</th>
                    <td>
                      {g.vendor} {g.model}
                      {g.vramBytes ? ` · ${formatBytes(g.vramBytes)}` : ''}
                      {g.driver ? ` · driver ${g.driver}` : ''}
                    </td>
                  </tr>
                ))
              )}
              <tr>
                <th>Detected</th>
                <td className="muted">{formatClock(hardware.value.detectedAt)}</td>
              </tr>
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="card">
        <h2 className="card-title">Render applications</h2>
        {dccs.state === 'loading' ? (
          <div className="muted">
            <span className="spinner" aria-hidden /> detecting…
          </div>
        ) : dccs.state === 'error' ? (
          <p className="error-text">{dccs.message}</p>
        ) : dccs.value.length === 0 ? (
          <EmptyState title="No render applications found">Add an executable in Settings if yours lives somewhere unusual.</EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Application</th>
                <th>Version</th>
                <th>Executable</th>
                <th>Found via</th>
                <th>Renders use</th>
              </tr>
            </thead>
            <tbody>
              {dccs.value.map((d) => (
                <tr key={`${d.dcc}:${d.executable}`} data-testid="dcc-row" data-dcc={d.dcc} data-supported={d.supported !== false} data-used={d.used === true}>
                  <td>
                    {d.label}
                    {d.supported === false ? <NotSupported hosts={hostsOf(registry, d.dcc).map((h) => h.label)} /> : null}
                  </td>
                  <td className="mono">{d.version ?? '—'}</td>
                  <td className="mono truncate" title={d.executable}>
                    {d.executable}
                  </td>
                  <td>{d.source === 'path' ? 'PATH' : d.source === 'user' ? 'Settings' : 'standard location'}</td>
                  <td data-testid="dcc-used">{d.used ? <span className="pill pill-succeeded" title="Renders of this application run this executable unless a job names another">used</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** A program detection found that no adapter renders with: shown, never offered as a DCC. */
function NotSupported({ hosts }: { hosts: string[] }) {
  const hint = hosts.length > 0 ? `Spool renders its scenes through ${hosts.join(', ')}` : 'Spool has no adapter for it';
  return (
    <>
      {' '}
      <span className="pill pill-queued" title={hint} data-testid="not-supported">
        found, not supported yet
      </span>
    </>
  );
}
