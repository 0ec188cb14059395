import { useState, type DragEvent } from 'react';
import { getBridge } from '../../bridge';
import { call, errorMessage } from '../../bridge/call';
import { Icon } from '../../components/Icon';

interface Props {
  value: string;
  onChange(value: string): void;
  onProbe(): void;
  probing: boolean;
  canProbe: boolean;
  error?: string | undefined;
  optional: boolean;
}

/** Electron gives dropped files a real path (through the preload); a browser never does. */
function pathOfDroppedFile(file: File): string | null {
  const fromPreload = window.spoolFiles?.pathForFile(file);
  if (fromPreload) return fromPreload;
  const legacy = (file as File & { path?: unknown }).path;
  return typeof legacy === 'string' && legacy ? legacy : null;
}

export function SceneField({ value, onChange, onProbe, probing, canProbe, error, optional }: Props) {
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const electron = getBridge().kind === 'electron';

  const browse = async (): Promise<void> => {
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
        <input
          id="scene"
          name="scene"
          className="input mono"
          value={value}
          placeholder="/path/to/shot.blend"
          aria-describedby={error || dropNote ? undefined : 'scene-how'}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={Boolean(error)}
          data-testid="scene-input"
          onChange={(e) => onChange(e.target.value)}
        />
        {electron ? (
          <button type="button" className="btn" onClick={() => void browse()}>
            <Icon name="folder" /> Browse…
          </button>
        ) : null}
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
    </div>
  );
}
