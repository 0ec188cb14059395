import { useEffect } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ShortcutHelp } from './components/ShortcutHelp';
import { Toasts } from './components/Toasts';
import { TopBar } from './components/TopBar';
import { isOffline, useConnection } from './state/connection-store';
import { useUi, type Route } from './state/ui-store';
import { DevicesView } from './views/DevicesView';
import { HistoryView } from './views/HistoryView';
import { JobView } from './views/job/JobView';
import { NewJobPanel } from './views/new-job/NewJobPanel';
import { QueueView } from './views/queue/QueueView';
import { isTypingTarget } from './views/queue/use-queue-shortcuts';
import { SettingsView } from './views/SettingsView';

const VIEW_KEYS: Record<string, Route> = {
  '1': { view: 'queue' },
  '2': { view: 'history' },
  '3': { view: 'devices' },
  '4': { view: 'settings' },
};

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'queue':
      return <QueueView />;
    case 'job':
      return <JobView id={route.id} frame={route.frame} />;
    case 'history':
      return <HistoryView />;
    case 'devices':
      return <DevicesView />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const route = useUi((s) => s.route);
  const newJobOpen = useUi((s) => s.newJobOpen);
  const helpOpen = useUi((s) => s.helpOpen);
  const offline = useConnection((s) => isOffline(s.info.state));

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const ui = useUi.getState();
      if (ui.newJobOpen || ui.helpOpen) return;
      if (e.altKey && VIEW_KEYS[e.key]) {
        e.preventDefault();
        ui.navigate(VIEW_KEYS[e.key]!);
      } else if (!e.ctrlKey && !e.metaKey && !e.altKey && (e.key === 'n' || e.key === 'N')) {
        e.preventDefault();
        ui.setNewJobOpen(true);
      } else if (e.key === '?') {
        e.preventDefault();
        ui.setHelpOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const viewKey = route.view === 'job' ? `job:${route.id}` : route.view;
  return (
    <div className={`app${offline ? ' app-offline' : ''}`}>
      <TopBar />
      <ConnectionBanner />
      {/* A disabled fieldset disables every control inside at once: none can act while the engine is away. */}
      <fieldset className="offline-guard" disabled={offline} aria-disabled={offline || undefined}>
        <main className="main">
          <ErrorBoundary area={route.view === 'job' ? 'the job view' : `the ${route.view} view`} resetKey={viewKey}>
            <View route={route} />
          </ErrorBoundary>
        </main>
        {newJobOpen ? (
          <ErrorBoundary area="the new-job form">
            <NewJobPanel onClose={() => useUi.getState().setNewJobOpen(false)} />
          </ErrorBoundary>
        ) : null}
      </fieldset>
      {helpOpen ? <ShortcutHelp onClose={() => useUi.getState().setHelpOpen(false)} /> : null}
      <Toasts />
    </div>
  );
}
