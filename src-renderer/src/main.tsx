import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getBridge } from './bridge';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startClock } from './state/clock';
import { startEventPump } from './state/event-pump';
import { loadJobs } from './state/load-jobs';
import { followHashChanges } from './state/ui-store';
import './styles.css';

const bridge = getBridge();
startEventPump(bridge);
startClock();
followHashChanges();
void loadJobs();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary area="Spool's window">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
