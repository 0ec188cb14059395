import { z } from 'zod';
import { FarmUnreachable, type FarmCheck } from '../backend';
import { FlamencoUnsupported } from './errors';
import { FlamencoHttpError, type FlamencoTransport } from './http';
import { JOB_TYPE } from './job-body';
import type { ManagerVersion } from './version';

/**
 * `spool farm test` for a Flamenco profile. What REST can tell: the Manager answers and speaks
 * 3.x, it knows simple-blender-render, whether any worker is there, and whether each mapped farm
 * path is usable *from the Manager's machine* (its shared-storage check writes and removes a
 * file there). What it cannot: whether the workers see those paths too. Flamenco runs nothing
 * on a worker outside a job, and a test job would render on the farm, so that stays unproven.
 */

const FarmStatus = z.looseObject({ status: z.string() });
const PathCheck = z.looseObject({ path: z.string(), is_usable: z.boolean(), cause: z.string() });
const Configuration = z.looseObject({ storageLocation: z.string() });

export const WORKERS_UNPROVEN = "not checked: whether the workers can read the scene and write the output there (Flamenco runs nothing on a worker outside a job)";

export async function checkManager(http: FlamencoTransport, version: () => Promise<ManagerVersion>, farmPaths: readonly string[]): Promise<FarmCheck> {
  const findings: string[] = [];
  let seen: ManagerVersion;
  try {
    seen = await version();
  } catch (error) {
    if (error instanceof FarmUnreachable || error instanceof FlamencoUnsupported || error instanceof FlamencoHttpError) {
      return { ok: false, findings: [error.message] };
    }
    throw error;
  }
  findings.push(`ok: Flamenco Manager ${seen.text} answers at ${http.baseUrl}`);
  let ok = true;
  const note = (good: boolean, line: string): void => {
    findings.push(`${good ? 'ok' : 'problem'}: ${line}`);
    if (!good) ok = false;
  };
  try {
    const jobType = await http.send('GET', `/api/v3/jobs/type/${JOB_TYPE}`, undefined, [200, 404]);
    note(jobType.status === 200, jobType.status === 200 ? `it has the ${JOB_TYPE} job type` : `it has no ${JOB_TYPE} job type`);
    const farm = await http.json('GET', '/api/v3/status', undefined, FarmStatus);
    note(farm.status !== 'inoperative', `farm status is ${farm.status}${farm.status === 'inoperative' ? ' (no worker can work)' : ''}`);
    const config = await http.json('GET', '/api/v3/configuration', undefined, Configuration);
    findings.push(`info: the Manager's shared storage is ${config.storageLocation}`);
    for (const path of farmPaths) {
      const checked = await http.json('POST', '/api/v3/configuration/check/shared-storage', { path }, PathCheck);
      note(checked.is_usable, `${path} ${checked.is_usable ? 'is writable from the Manager' : `is not usable from the Manager: ${checked.cause}`}`);
    }
    if (farmPaths.length > 0) findings.push(WORKERS_UNPROVEN);
  } catch (error) {
    if (error instanceof FarmUnreachable || error instanceof FlamencoHttpError) return { ok: false, version: seen.text, findings: [...findings, `problem: ${error.message}`] };
    throw error;
  }
  return { ok, version: seen.text, findings };
}
