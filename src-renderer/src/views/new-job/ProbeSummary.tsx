import type { SceneInfoDto } from '../../../../src-preload/contract';

/** What the probe found, as compact chips under the scene field. */
export function ProbeSummary({ info }: { info: SceneInfoDto }) {
  const chips: [string, string][] = [];
  if (info.frameStart !== undefined && info.frameEnd !== undefined) {
    chips.push(['Range', `${info.frameStart}–${info.frameEnd}${info.frameStep && info.frameStep > 1 ? ` ×${info.frameStep}` : ''}`]);
  }
  if (info.resolution) {
    const pct = info.resolution.percent && info.resolution.percent !== 100 ? ` @${info.resolution.percent}%` : '';
    chips.push(['Resolution', `${info.resolution.x}×${info.resolution.y}${pct}`]);
  }
  if (info.engine) chips.push(['Engine', info.engine]);
  if (info.format) chips.push(['Format', info.format]);
  if (info.cameras) chips.push(['Cameras', String(info.cameras.length)]);
  if (info.layers) chips.push(['Layers', String(info.layers.length)]);
  if (info.version) chips.push(['Saved with', info.version]);
  if (chips.length === 0) return null;
  return (
    <div className="chips" data-testid="probe-summary">
      {chips.map(([k, v]) => (
        <span key={k} className="chip">
          <span className="chip-key">{k}</span> {v}
        </span>
      ))}
    </div>
  );
}
