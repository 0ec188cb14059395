import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getBridge } from './bridge';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startClock } from './state/clock';
import { startEventPump } from './state/event-pump';
import { startTabFeedback } from './state/tab-feedback';
import { followHashChanges } from './state/ui-store';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

/** Startup failures (a broken preload, a bad address) still get a readable screen. */
function FatalStartup({ error }: { error: unknown }) {
  return (
    <div className="crash" role="alert">
      <div className="crash-title">Spool could not start its window.</div>
      <pre className="crash-message">{error instanceof Error ? error.message : String(error)}</pre>
      <div className="crash-actions">
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </div>
  );
}

let started = false;
try {
  const bridge = getBridge();
  startEventPump(bridge);
  startClock();
  startTabFeedback(bridge);
  followHashChanges();
  started = true;
} catch (error) {
  console.error('spool: startup failed', error);
  createRoot(root).render(<FatalStartup error={error} />);
}

if (started) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary area="Spool's window">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
