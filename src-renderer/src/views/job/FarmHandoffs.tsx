import type { JobFarmInfo } from '../../../../src-main/engine/types';

/** A farm job's hand-offs: the farm's job id and the command that shows it in the farm's own tool. */
export function FarmHandoffs({ info }: { info: JobFarmInfo }) {
  const answered = info.handoffs.filter((h) => h.farmJobId);
  if (answered.length === 0) return <p className="farm-handoffs">Not on farm {info.farm} yet.</p>;
  return (
    <ul className="farm-handoffs" data-testid="farm-handoffs">
      {answered.map((h) => (
        <li key={h.tag}>
          {info.kind === 'slurm' ? 'Slurm job' : 'Farm job'} <span className="mono">{h.farmJobId}</span> on {info.farm}
          {h.see ? (
            <>
              {' '}
              — see it there: <code className="mono" data-testid="farm-see">{h.see}</code>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
