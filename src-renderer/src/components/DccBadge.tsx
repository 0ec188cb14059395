import { dccInfo } from '../lib/dccs';
import { useDccs } from '../state/dcc-store';

export function DccBadge({ dcc, withLabel = false }: { dcc: string; withLabel?: boolean }) {
  const info = dccInfo(useDccs(), dcc);
  return (
    <span className="dcc" title={info.label}>
      <span className={`dcc-badge dcc-${info.id}`} aria-hidden>
        {info.letter}
      </span>
      {withLabel ? <span className="dcc-label">{info.label}</span> : <span className="sr-only">{info.label}</span>}
    </span>
  );
}
