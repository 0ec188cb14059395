import { useMemo, useRef, useState, type ReactNode } from 'react';
import type { SceneInfoDto } from '../../../../src-preload/contract';
import { describeFrameSet, parseFrameSet } from '../../../../src-main/engine/frames';
import { hasPreviewPass, withoutPreviewPass, withPreviewPass } from '../../lib/preview-pass';
import { outsideSceneRange } from '../../lib/probe-fill';

interface Props {
  value: string;
  onChange(value: string): void;
  /** main's refusal, shown when the text parses here but the engine still said no. */
  serverError?: string | undefined;
  /** What an empty field means, e.g. the probed scene range. */
  emptyHint: string;
  /** The probed scene: frames outside its range are warned about. */
  scene?: SceneInfoDto | null;
  marker?: ReactNode;
}

/**
 * The frame set, checked on every keystroke with the engine's own parser: the parsed frames, or
 * the error with a caret under the column it names (monospace input and caret line share the
 * same padding, and the caret follows the input's horizontal scroll).
 */
export function FrameRangeField({ value, onChange, serverError, emptyHint, scene = null, marker }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [scroll, setScroll] = useState(0);
  const result = useMemo(() => (value.trim() === '' ? null : parseFrameSet(value)), [value]);
  const error = result && !result.ok ? result.error : null;
  const invalid = Boolean(error || serverError);
  const warning = result && result.ok ? result.warnings[0] : undefined;
  const outside = useMemo(() => (result && result.ok ? outsideSceneRange(result.frames, scene) : null), [result, scene]);
  const previewPass = hasPreviewPass(value);
  const previewed = previewPass ? null : withPreviewPass(value);
  const describedBy = error ? 'frames-error' : serverError ? 'frames-server-error' : 'frames-parsed';

  return (
    <div className={`field field-wide frames-field ${invalid ? 'field-invalid' : ''}`}>
      <div className="frames-label-row">
        <label className="field-label" htmlFor="frames">
          Frames
          {marker}
        </label>
        <label className="frames-preview-pass" title="Render every frame, but a spread-out pass over the whole range first (interleave a-b:step)">
          <input
            type="checkbox"
            checked={previewPass}
            disabled={!previewPass && previewed === null}
            data-testid="frames-preview-pass"
            onChange={() => onChange(previewPass ? withoutPreviewPass(value) : (previewed ?? value))}
          />{' '}
          Preview pass first
        </label>
      </div>
      <div className="frames-input-wrap">
        <input
          ref={inputRef}
          id="frames"
          name="frames"
          className="input mono frames-input"
          value={value}
          placeholder="e.g. 1-100, 1-100x5, 1-100:10, 1,5,10-20"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid}
          aria-describedby={describedBy}
          data-testid="frames-input"
          onChange={(e) => {
            onChange(e.target.value);
            setScroll(e.target.scrollLeft);
          }}
          onScroll={(e) => setScroll(e.currentTarget.scrollLeft)}
          onKeyUp={(e) => setScroll(e.currentTarget.scrollLeft)}
          onSelect={(e) => setScroll(e.currentTarget.scrollLeft)}
        />
        {error ? (
          <div className="frames-caret-line" aria-hidden>
            <pre className="frames-caret mono" style={{ transform: `translateX(${-scroll}px)` }} data-testid="frames-caret" data-column={error.column}>
              {' '.repeat(error.column - 1)}
              <span className="caret-mark">{'^' + '~'.repeat(Math.max(0, error.token.length - 1))}</span>
            </pre>
          </div>
        ) : null}
      </div>
      {error ? (
        <div className="frames-error" id="frames-error" role="alert" data-testid="frames-error" data-column={error.column}>
          {error.message}
        </div>
      ) : serverError ? (
        <div className="field-error" id="frames-server-error" role="alert" data-testid="frames-server-error">
          {serverError}
        </div>
      ) : (
        <>
          <div className="frames-parsed mono" id="frames-parsed" data-testid="frames-parsed">
            {result && result.ok ? (
              <>
                <span className="frames-parsed-text">{value.trim()}</span> <span className="frames-arrow">→</span> {describeFrameSet(result.frames, 4)}
              </>
            ) : (
              <span className="field-hint-inline">{emptyHint}</span>
            )}
          </div>
          {warning ? (
            <div className="frames-warning" role="status" data-testid="frames-warning" data-column={warning.column}>
              {warning.message}
            </div>
          ) : null}
          {outside && scene ? (
            <div className="frames-warning" role="status" data-testid="frames-range-warning">
              {outside.outside === 1 ? `Frame ${outside.lowest} lies` : `${outside.outside} frames (${outside.lowest}–${outside.highest}) lie`} outside the scene’s range{' '}
              {scene.frameStart}–{scene.frameEnd}: they render, but the scene’s animation may not cover them.
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
