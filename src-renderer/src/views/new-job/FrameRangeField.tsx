import { useMemo, useRef, useState } from 'react';
import { describeFrameSet, parseFrameSet } from '../../../../src-main/engine/frames';

interface Props {
  value: string;
  onChange(value: string): void;
  /** main's refusal, shown when the text parses here but the engine still said no. */
  serverError?: string | undefined;
  /** What an empty field means, e.g. the probed scene range. */
  emptyHint: string;
}

/**
 * The frame set, checked on every keystroke with the engine's own parser: the parsed frames, or
 * the error with a caret under the column it names (monospace input and caret line share the
 * same padding, and the caret follows the input's horizontal scroll).
 */
export function FrameRangeField({ value, onChange, serverError, emptyHint }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [scroll, setScroll] = useState(0);
  const result = useMemo(() => (value.trim() === '' ? null : parseFrameSet(value)), [value]);
  const error = result && !result.ok ? result.error : null;
  const invalid = Boolean(error || serverError);
  const describedBy = error ? 'frames-error' : serverError ? 'frames-server-error' : 'frames-parsed';

  return (
    <div className={`field field-wide frames-field ${invalid ? 'field-invalid' : ''}`}>
      <label className="field-label" htmlFor="frames">
        Frames
      </label>
      <div className="frames-input-wrap">
        <input
          ref={inputRef}
          id="frames"
          name="frames"
          className="input mono frames-input"
          value={value}
          placeholder="e.g. 1-100, 1-100x5, 1,5,10-20"
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
        <div className="frames-parsed mono" id="frames-parsed" data-testid="frames-parsed">
          {result && result.ok ? (
            <>
              <span className="frames-parsed-text">{value.trim()}</span> <span className="frames-arrow">→</span> {describeFrameSet(result.frames, 4)}
            </>
          ) : (
            <span className="field-hint-inline">{emptyHint}</span>
          )}
        </div>
      )}
    </div>
  );
}
