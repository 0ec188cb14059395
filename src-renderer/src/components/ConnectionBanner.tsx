import { useEffect, useState } from 'react';
import { getBridge } from '../bridge';
import { useConnection } from '../state/connection-store';

export function ConnectionBanner() {
  const info = useConnection((s) => s.info);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (info.state !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [info.state]);

  if (info.state === 'unauthorized') {
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-banner">
        Not authorized. Open Spool with the full address that <code>spool serve</code> printed (it carries the token).
      </div>
    );
  }
  if (info.state !== 'reconnecting') return null;
  const seconds = info.retryAt ? Math.max(0, Math.ceil((info.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-warn" role="status" data-testid="connection-banner">
      <span className="spinner" aria-hidden /> Reconnecting… lost the connection to Spool{seconds > 0 ? `, retrying in ${seconds}s` : ''}. What you see is
      how it was; the controls come back with the connection.
      <button type="button" className="link-btn" onClick={() => getBridge().reconnectNow()}>
        Retry now
      </button>
    </div>
  );
}
