import { Fragment } from 'react';

/** Alternatives separated by "/", each a chord of keys pressed together. */
const KEYS: readonly [string[][], string][] = [
  [[['N']], 'New job'],
  [[['↑'], ['↓'], ['PgUp'], ['PgDn'], ['Home'], ['End']], 'Move through the queue (Shift extends the selection)'],
  [[['Click'], ['Ctrl', 'Click'], ['Shift', 'Click']], 'Select · toggle · select a range'],
  [[['Ctrl', 'A']], 'Select all shown jobs'],
  [[['Enter'], ['Double-click']], 'Open the job'],
  [[['P']], 'Pause after the frame in progress'],
  [[['Shift', 'P']], 'Pause now'],
  [[['R']], 'Resume'],
  [[['X']], 'Cancel (asks first while it renders)'],
  [[['Shift', 'R']], 'Retry failed frames'],
  [[['Shift', 'Q']], 'Requeue all frames'],
  [[['M']], 'Modify a queued or paused job'],
  [[['D']], 'Duplicate'],
  [[['Shift', 'D']], 'Duplicate and edit'],
  [[['O']], 'Open the output folder (browser: copy its path)'],
  [[['Shift', 'C']], 'Copy the scene path'],
  [[['Shift', 'E']], 'Save a report of the selected jobs'],
  [[['Menu'], ['Shift', 'F10'], ['Right-click']], 'All actions on the selection'],
  [[['Del']], 'Delete (asks first)'],
  [[['+'], ['Alt', '↑']], 'Raise priority'],
  [[['−'], ['Alt', '↓']], 'Lower priority'],
  [[['Drag']], 'Reorder: the job runs before the one you drop it above'],
  [[['Click a column']], 'Sort by it (again: reverse, a third time: queue order)'],
  [[['Esc']], 'Back to the queue · close a dialog'],
  [[['Ctrl', 'F']], 'Search the log'],
  [[['Enter'], ['Shift', 'Enter']], 'Next · previous match'],
  [[['Alt', '1']], 'Queue (Alt+2 History, Alt+3 Devices, Alt+4 Settings)'],
  [[['?']], 'This list'],
];

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="overlay" onMouseDown={onClose}>
      <div
        className="dialog dialog-wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        tabIndex={-1}
        ref={(el) => el?.focus()}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <div id="help-title" className="dialog-title">
          Keyboard shortcuts
        </div>
        <table className="kv shortcuts">
          <tbody>
            {KEYS.map(([alternatives, what]) => (
              <tr key={what}>
                <th>
                  {alternatives.map((chord, i) => (
                    <Fragment key={i}>
                      {i > 0 ? <span className="key-or"> / </span> : null}
                      {chord.map((k, j) => (
                        <Fragment key={k}>
                          {j > 0 ? '+' : null}
                          <kbd>{k}</kbd>
                        </Fragment>
                      ))}
                    </Fragment>
                  ))}
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
