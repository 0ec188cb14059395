import { getBridge } from '../bridge';
import { useConnection } from '../state/connection-store';
import { useJobs } from '../state/jobs-store';
import { useNotify } from '../state/tab-feedback';
import { useUi, type Route } from '../state/ui-store';

const NAV: readonly { view: Route['view']; label: string; key: string }[] = [
  { view: 'queue', label: 'Queue', key: '1' },
  { view: 'history', label: 'History', key: '2' },
  { view: 'devices', label: 'Devices', key: '3' },
  { view: 'settings', label: 'Settings', key: '4' },
];

function Logo() {
  return (
    <svg width="18" height="18" viewBox="0 0 16 16" aria-hidden className="logo">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <circle cx="8" cy="8" r="2" fill="currentColor" />
      <path d="M8 1.5v4.5M14.5 8H10" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

/** Opt-in: the browser's permission prompt appears only after this click, never on load. */
function NotifyToggle() {
  const { enabled, permission, toggle } = useNotify();
  if (permission === 'unsupported') return null;
  const label = enabled
    ? 'Notifications on: click to stop them'
    : permission === 'denied'
      ? 'Notifications are blocked for this page in the browser’s site settings'
      : 'Notify me when a job finishes or fails';
  return (
    <button
      type="button"
      className={`icon-btn topbar-notify${enabled ? ' topbar-notify-on' : ''}`}
      onClick={() => void toggle()}
      disabled={permission === 'denied' && !enabled}
      aria-pressed={enabled}
      title={label}
      aria-label={label}
      data-testid="notify-toggle"
    >
      <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden>
        <path d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1 1H3zM6.5 13.5a1.5 1.5 0 0 0 3 0" fill={enabled ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth="1.3" />
      </svg>
    </button>
  );
}

export function TopBar() {
  const route = useUi((s) => s.route);
  const navigate = useUi((s) => s.navigate);
  const setHelpOpen = useUi((s) => s.setHelpOpen);
  const running = useJobs((s) => {
    let n = 0;
    for (const j of s.byId.values()) if (j.status === 'running') n++;
    return n;
  });
  const connection = useConnection((s) => s.info.state);
  const active = route.view === 'job' ? 'queue' : route.view;
  return (
    <header className="topbar">
      <div className="brand">
        <Logo /> Spool
      </div>
      <nav className="nav" aria-label="Views">
        {NAV.map((n) => (
          <button
            key={n.view}
            type="button"
            className={`nav-item ${active === n.view ? 'nav-active' : ''}`}
            aria-current={active === n.view ? 'page' : undefined}
            title={`${n.label} (Alt+${n.key})`}
            onClick={() => navigate({ view: n.view } as Route)}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <span className="toolbar-fill" />
      <span className="topbar-status" data-testid="topbar-status">
        <span className={`conn-dot conn-${connection}`} title={`connection: ${connection}`} />
        {running > 0 ? `${running} rendering` : 'idle'}
      </span>
      {getBridge().kind === 'browser' ? <NotifyToggle /> : null}
      <button type="button" className="icon-btn topbar-help" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
    </header>
  );
}
