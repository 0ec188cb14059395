import os from 'node:os';
import path from 'node:path';

/** Where Spool keeps its store and logs when neither --data-dir nor SPOOL_HOME says otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SPOOL_HOME) return path.resolve(env.SPOOL_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Spool');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Spool');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'spool');
}

export const storeFile = (dataDir: string): string => path.join(dataDir, 'spool.db');
export const lockFile = (dataDir: string): string => path.join(dataDir, 'engine.lock');
export const logsDir = (dataDir: string): string => path.join(dataDir, 'logs');
export const previewsDir = (dataDir: string): string => path.join(dataDir, 'previews');

export function attemptLogPath(dataDir: string, jobId: number, taskIndex: number, attemptId: number): string {
  return path.join(logsDir(dataDir), `job-${jobId}`, `task-${taskIndex}-attempt-${attemptId}.log`);
}
