import { useEffect, useState, type FormEvent } from 'react';
import type { WatchFolderDto } from '../../../src-preload/contract';
import { call, errorMessage } from '../bridge/call';
import { Icon } from '../components/Icon';
import { useDccs } from '../state/dcc-store';

function describe(folder: WatchFolderDto): string {
  const d = Object.entries(folder.defaults).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const a = folder.allow;
  const allows = [...(a?.dccs?.length ? [`DCCs ${a.dccs.join(', ')}`] : []), ...(a?.batch ? ['batch files'] : []), ...(a?.command ? ['commands'] : [])];
  return `${d.join(' ') || "frames from each scene"}${allows.length ? ` · allows ${allows.join(', ')}` : ''}`;
}

/**
 * Watch folders (`spool watch DIR`): scenes and batch files saved there are queued by a running
 * engine. What a dropped file may bring is opt-in per folder, as on the command line.
 */
export function WatchFoldersCard() {
  const dccs = useDccs();
  const [folders, setFolders] = useState<WatchFolderDto[] | null>(null);
  const [dir, setDir] = useState('');
  const [dcc, setDcc] = useState('');
  const [frames, setFrames] = useState('');
  const [output, setOutput] = useState('');
  const [batch, setBatch] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('watch.list', {})
      .then(setFolders)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const add = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    const defaults: Record<string, unknown> = {};
    if (dcc) defaults.dcc = dcc;
    if (frames.trim()) defaults.frames = frames.trim();
    if (output.trim()) defaults.output = output.trim();
    try {
      const added = await call('watch.add', { dir: dir.trim(), defaults, ...(batch ? { allow: { batch: true } } : {}) });
      setFolders((list) => [...(list ?? []).filter((f) => f.dir !== added.dir), added]);
      setDir('');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const remove = async (folder: string): Promise<void> => {
    try {
      await call('watch.remove', { dir: folder });
      setFolders((list) => (list ?? []).filter((f) => f.dir !== folder));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="card" data-testid="watch-folders">
      <h3 className="card-title">Watch folders</h3>
      <p className="field-hint">Scenes and batch files saved into these folders are queued by the running engine, once each, after they stop changing.</p>
      {folders && folders.length > 0 ? (
        <ul className="watch-list">
          {folders.map((f) => (
            <li key={f.dir} data-testid="watch-folder">
              <span className="watch-dir">
                <span className="mono">{f.dir}</span>
                <br />
                <span className="field-hint">{describe(f)}</span>
              </span>
              <button type="button" className="btn btn-tool btn-tool-danger" onClick={() => void remove(f.dir)} aria-label={`Stop watching ${f.dir}`}>
                <Icon name="trash" /> Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="field-hint">{folders ? 'No watch folders yet.' : 'Loading…'}</p>
      )}
      <form onSubmit={(e) => void add(e)}>
        <div className="form-grid">
          <div className="field field-wide">
            <label className="field-label" htmlFor="watch-dir">
              Folder
            </label>
            <input id="watch-dir" className="input mono" value={dir} placeholder="/renders/drop" onChange={(e) => setDir(e.target.value)} data-testid="watch-dir" />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="watch-dcc">
              DCC for dropped scenes
            </label>
            <select id="watch-dcc" className="input" value={dcc} onChange={(e) => setDcc(e.target.value)}>
              <option value="">None (only what is allowed)</option>
              {dccs.filter((d) => d.id !== 'command').map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field-label" htmlFor="watch-frames">
              Frames
            </label>
            <input id="watch-frames" className="input mono" value={frames} placeholder="each scene's own" onChange={(e) => setFrames(e.target.value)} />
          </div>
          <div className="field field-wide">
            <label className="field-label" htmlFor="watch-output">
              Output
            </label>
            <input id="watch-output" className="input mono" value={output} placeholder="each scene's own" onChange={(e) => setOutput(e.target.value)} />
          </div>
          <label className="field field-wide">
            <span>
              <input type="checkbox" checked={batch} onChange={(e) => setBatch(e.target.checked)} /> Queue batch files dropped there
            </span>
          </label>
        </div>
        {error ? (
          <div className="form-error" role="alert" data-testid="watch-error">
            {error}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!dir.trim()} data-testid="watch-add">
            <Icon name="plus" /> Watch folder
          </button>
        </div>
      </form>
    </section>
  );
}
