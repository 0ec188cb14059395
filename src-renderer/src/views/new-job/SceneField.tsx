import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { DirEntryDto } from '../../../../src-preload/contract';
import { getBridge } from '../../bridge';
import { call, errorMessage } from '../../bridge/call';
import { Icon } from '../../components/Icon';
import { FileBrowserDialog } from './FileBrowserDialog';
import { splitTyped, usePathComplete } from './use-path-complete';

interface Props {
  value: string;
  onChange(value: string): void;
  onProbe(): void;
  probing: boolean;
  canProbe: boolean;
  error?: string | undefined;
  optional: boolean;
  recentScenes: readonly string[];
}

/** Electron gives dropped files a real path (through the preload); a browser never does. */
function pathOfDroppedFile(file: File): string | null {
  const fromPreload = window.spoolFiles?.pathForFile(file);
  if (fromPreload) return fromPreload;
  const legacy = (file as File & { path?: unknown }).path;
  return typeof legacy === 'string' && legacy ? legacy : null;
}

export function SceneField({ value, onChange, onProbe, probing, canProbe, error, optional, recentScenes }: Props) {
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(-1);
  const [dismissed, setDismissed] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const electron = getBridge().kind === 'electron';
  const suggestions = usePathComplete(value, focused && !dismissed);
  const open = focused && !dismissed && suggestions.length > 0;

  const accept = (entry: DirEntryDto): void => {
    // A folder is completed with its separator, so the next suggestions are its contents.
    onChange(entry.kind === 'dir' ? `${entry.path}/` : entry.path);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + suggestions.length) % suggestions.length);
    } else if ((e.key === 'Tab' && !e.shiftKey) || (e.key === 'Enter' && active >= 0)) {
      // Tab completes the highlighted entry, or the only one; with several and none chosen it moves on.
      const entry = suggestions[active] ?? (suggestions.length === 1 ? suggestions[0] : undefined);
      if (!entry) return;
      e.preventDefault();
      accept(entry);
    } else if (e.key === 'Escape') {
      // Closes the list only; the drawer stays open.
      e.preventDefault();
      e.stopPropagation();
      e.nativeEvent.stopImmediatePropagation();
      setDismissed(true);
    }
  };

  const browse = async (): Promise<void> => {
    if (!electron) {
      setBrowsing(true);
      return;
    }
    try {
      const picked = await call('dialog.openScene', {});
      if (picked) {
        onChange(picked);
        setDropNote(null);
      }
    } catch (e) {
      setDropNote(errorMessage(e));
    }
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) {
      const path = pathOfDroppedFile(file);
      if (path) {
        onChange(path);
        setDropNote(null);
      } else {
        setDropNote(`A browser does not tell Spool where “${file.name}” lives. Paste its full path instead${electron ? '' : ' (the desktop app accepts dropped files)'}.`);
      }
      return;
    }
    // Text dragged from a file manager or terminal is often the path itself.
    const text = e.dataTransfer.getData('text/plain').trim();
    if (text) {
      onChange(text.replace(/^file:\/\//, ''));
      setDropNote(null);
    }
  };

  return (
    <div
      className={`field field-wide scene-field ${error ? 'field-invalid' : ''} ${dragging ? 'scene-drop-active' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files') || e.dataTransfer.types.includes('text/plain')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label className="field-label" htmlFor="scene">
        Scene file{optional ? ' (optional)' : ''}
      </label>
      <div className="input-row">
        <div className="scene-combo">
          <input
            ref={inputRef}
            id="scene"
            name="scene"
            className="input mono"
            value={value}
            placeholder="/path/to/shot.blend"
            aria-describedby={error || dropNote ? undefined : 'scene-how'}
            spellCheck={false}
            autoComplete="off"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls="scene-suggestions"
            aria-activedescendant={open && active >= 0 ? `scene-suggestion-${active}` : undefined}
            aria-invalid={Boolean(error)}
            data-testid="scene-input"
            onChange={(e) => {
              onChange(e.target.value);
              setActive(-1);
              setDismissed(false);
            }}
            onKeyDown={onKeyDown}
            onFocus={() => setFocused(true)}
            onBlur={() => setFocused(false)}
          />
          {open ? (
            <ul id="scene-suggestions" className="scene-suggestions" role="listbox" aria-label="Matching folders and scenes" data-testid="scene-suggestions">
              {suggestions.map((entry, i) => (
                <li
                  key={entry.path}
                  id={`scene-suggestion-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={`scene-suggestion mono ${i === active ? 'active' : ''}`}
                  data-testid="scene-suggestion"
                  // mousedown, not click: the input's blur would close the list before a click lands.
                  onMouseDown={(e) => {
                    e.preventDefault();
                    accept(entry);
                  }}
                >
                  <Icon name={entry.kind === 'dir' ? 'folder' : 'file'} />
                  {entry.name}
                  {entry.kind === 'dir' ? '/' : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <button type="button" className="btn" onClick={() => void browse()} data-testid="browse-scene">
          <Icon name="folder" /> Browse…
        </button>
        <button type="button" className="btn" onClick={onProbe} disabled={!canProbe || probing} data-testid="probe" title="Read frame range, output, cameras and layers from the scene">
          {probing ? <span className="spinner" aria-hidden /> : <Icon name="probe" />} {probing ? 'Probing…' : 'Probe scene'}
        </button>
      </div>
      {error ? (
        <div className="field-error" role="alert" data-testid="scene-error">
          {error}
        </div>
      ) : dropNote ? (
        <div className="field-note" role="status">
          {dropNote}
        </div>
      ) : (
        // Said below, not in the placeholder: a placeholder longer than the field is cut off.
        <div className="field-hint" id="scene-how">
          Paste a path or drop a file here.
        </div>
      )}
      {browsing ? (
        <FileBrowserDialog
          start={splitTyped(value.trim())?.dir ?? null}
          recent={recentScenes}
          onPick={(scene) => {
            setBrowsing(false);
            onChange(scene);
            setDropNote(null);
            inputRef.current?.focus();
          }}
          onClose={() => {
            setBrowsing(false);
            inputRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
