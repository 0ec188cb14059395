import { call, errorMessage } from '../bridge/call';
import { useJobs } from './jobs-store';

let inFlight: Promise<void> | null = null;
let again = false;

/** Fetches the whole job list; calls made while one is in flight collapse into one more fetch. */
export function loadJobs(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      try {
        useJobs.getState().replaceAll(await call('jobs.list', {}));
      } catch (error) {
        useJobs.getState().setLoadError(errorMessage(error));
      }
    } while (again);
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}
