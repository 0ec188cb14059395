import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { DirListingDto } from '../../../../src-preload/contract';
import { call, errorMessage } from '../../bridge/call';
import { Icon } from '../../components/Icon';
import { trapTab } from '../../lib/focus-trap';
import { basename } from '../../lib/format';

interface Props {
  /** Where to open: the scene field's folder, else the home folder. */
  start: string | null;
  recent: readonly string[];
  onPick(scene: string): void;
  onClose(): void;
}

/**
 * Browser mode's scene picker: the engine lists one folder at a time (folders and the scene files
 * of every DCC it knows). A modal dialog: focus stays inside, arrows move in the list, Enter opens
 * a folder or picks a scene, Backspace goes up, Esc closes.
 */
export function FileBrowserDialog({ start, recent, onPick, onClose }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [listing, setListing] = useState<DirListingDto | null>(null);
  const [typed, setTyped] = useState(start ?? '');
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);

  // Only the newest listing asked for is shown: the first folder's answer, arriving after a folder
  // the user typed, replaced it (an empty home folder under CI load left the dialog empty).
  const asked = useRef(0);
  const show = async (read: () => Promise<DirListingDto>): Promise<void> => {
    const mine = ++asked.current;
    try {
      const next = await read();
      if (mine !== asked.current) return;
      setListing(next);
      setTyped(next.dir);
      setActive(0);
      setError(null);
    } catch (e) {
      if (mine === asked.current) setError(errorMessage(e));
    }
  };
  const open = (dir: string | undefined): Promise<void> => show(() => call('files.list', dir ? { dir } : {}));

  useEffect(() => {
    // A start that no longer exists falls back to the home folder rather than an empty dialog.
    void show(() => call('files.list', start ? { dir: start } : {}).catch(() => call('files.list', {})));
    listRef.current?.focus();
  }, [start]);

  const entries = listing?.entries ?? [];
  const choose = (index: number): void => {
    const entry = entries[index];
    if (!entry) return;
    if (entry.kind === 'dir') void open(entry.path);
    else onPick(entry.path);
  };

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  // In a portal: the dialog opens from inside the new-job form, whose Enter would submit it.
  return createPortal(
    <div className="overlay" onMouseDown={onClose}>
      <div
        ref={rootRef}
        className="dialog dialog-wide file-browser"
        role="dialog"
        aria-modal="true"
        aria-labelledby="file-browser-title"
        data-testid="file-browser"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // The drawer behind must not see these keys (its Esc closes the whole form).
          e.stopPropagation();
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
          if (rootRef.current) trapTab(rootRef.current, e);
        }}
      >
        <div id="file-browser-title" className="dialog-title">
          Choose a scene
        </div>
        <div className="input-row file-browser-path">
          <button type="button" className="btn" aria-label="Up one folder" disabled={!listing?.parent} onClick={() => void open(listing?.parent ?? undefined)} data-testid="file-browser-up">
            <Icon name="up" />
          </button>
          <label className="sr-only" htmlFor="file-browser-dir">
            Folder
          </label>
          <input
            id="file-browser-dir"
            className="input mono"
            value={typed}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              void open(typed.trim() || undefined);
            }}
            data-testid="file-browser-dir"
          />
          <button type="button" className="btn" onClick={() => void open(typed.trim() || undefined)}>
            Go
          </button>
        </div>
        {error ? (
          <div className="field-error" role="alert" data-testid="file-browser-error">
            {error}
          </div>
        ) : null}
        <ul
          ref={listRef}
          className="file-browser-list"
          role="listbox"
          tabIndex={0}
          aria-label={listing ? `Contents of ${listing.dir}` : 'Folder contents'}
          aria-activedescendant={entries[active] ? `fb-${active}` : undefined}
          data-testid="file-browser-list"
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((i) => Math.min(entries.length - 1, i + 1));
            else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
            else if (e.key === 'Home') setActive(0);
            else if (e.key === 'End') setActive(entries.length - 1);
            else if (e.key === 'Enter') choose(active);
            else if (e.key === 'Backspace' && listing?.parent) void open(listing.parent);
            else return;
            e.preventDefault();
          }}
        >
          {entries.map((entry, i) => (
            <li
              key={entry.path}
              id={`fb-${i}`}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className={`file-browser-item ${i === active ? 'active' : ''}`}
              data-testid="file-browser-item"
              data-kind={entry.kind}
              onClick={() => {
                setActive(i);
                choose(i);
              }}
            >
              <Icon name={entry.kind === 'dir' ? 'folder' : 'file'} />
                  {entry.name}
              {entry.kind === 'dir' ? '/' : ''}
              {entry.link ? <span className="file-browser-link"> (link)</span> : null}
            </li>
          ))}
          {listing && entries.length === 0 ? <li className="file-browser-empty">No folders or scene files here.</li> : null}
        </ul>
        {listing?.truncated ? <div className="field-hint">Only the first {entries.length} entries are shown.</div> : null}
        {recent.length > 0 ? (
          <div className="file-browser-recent">
            <div className="field-label">Recent scenes</div>
            <div className="chips">
              {recent.map((scene) => (
                <button key={scene} type="button" className="chip chip-btn" title={scene} onClick={() => onPick(scene)}>
                  {basename(scene)}
                </button>
              ))}
            </div>
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={entries[active]?.kind !== 'scene'}
            onClick={() => choose(active)}
            data-testid="file-browser-pick"
          >
            Choose
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
