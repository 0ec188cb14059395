const KEYS: readonly [string, string][] = [
  ['N', 'New job'],
  ['↑ ↓  PgUp PgDn  Home End', 'Move through the queue (Shift extends the selection)'],
  ['Click · Ctrl+Click · Shift+Click', 'Select · toggle · select a range'],
  ['Ctrl+A', 'Select all shown jobs'],
  ['Enter / double-click', 'Open the job'],
  ['P', 'Pause'],
  ['R', 'Resume'],
  ['X', 'Cancel'],
  ['Shift+R', 'Retry failed frames'],
  ['D', 'Duplicate'],
  ['Del', 'Delete (asks first)'],
  ['+ / −  or  Alt+↑ / Alt+↓', 'Raise / lower priority'],
  ['Drag a row', 'Reorder: the job runs before the one you drop it above'],
  ['Esc', 'Back to the queue · close a dialog'],
  ['Ctrl+F · Enter · Shift+Enter', 'Search the log · next · previous match'],
  ['Alt+1 … Alt+4', 'Queue · History · Devices · Settings'],
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
            {KEYS.map(([k, v]) => (
              <tr key={k}>
                <th>
                  <kbd>{k}</kbd>
                </th>
                <td>{v}</td>
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
