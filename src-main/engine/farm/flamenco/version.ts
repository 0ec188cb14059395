import { FlamencoUnsupported } from './errors';
import type { FlamencoVersion } from './schemas';

/** What Spool needs to know about a Manager's version: its API generation and what it offers. */
export interface ManagerVersion {
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  /** `GET /api/v3/jobs` arrived in 3.6; before it the list was `POST /api/v3/jobs/query`. */
  readonly listsJobsByGet: boolean;
}

/** Spool speaks the `/api/v3` of Flamenco 3.x; 2.x had another API and a 4.x may change it. */
export const SUPPORTED_MAJOR = 3;

export function managerVersion(answer: FlamencoVersion, url: string): ManagerVersion {
  const match = /^(\d+)\.(\d+)/.exec(answer.shortversion);
  if (!match) throw new FlamencoUnsupported(`the server at ${url} says it is Flamenco "${answer.shortversion}", which is not a version Spool can read`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major !== SUPPORTED_MAJOR) {
    throw new FlamencoUnsupported(
      `Flamenco Manager ${answer.version} at ${url} is not supported: Spool works with Flamenco ${SUPPORTED_MAJOR}.x Managers only`,
    );
  }
  return { text: answer.version, major, minor, listsJobsByGet: minor >= 6 };
}
