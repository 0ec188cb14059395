import { z } from 'zod';
import { FlamencoHttpError, type FlamencoTransport } from './http';
import { newTailLines, workerLine } from './log-tail';

/**
 * New lines of one task's log since an opaque cursor. A worker sends its log to the Manager in
 * chunks of more than 10 KiB, or every 30 s (`internal/worker/log_chunker.go`), so the 2 KiB
 * logtail alone would miss most of each chunk, `Saved:` lines included. The whole log is also
 * served as a file (`GET /tasks/{id}/log` → `{url, size}`, `url` under `/job-files/`): read from
 * the cursor's byte offset with a Range request, every line comes exactly once. A Manager that
 * does not offer the file falls back to the logtail and its overlap rules (log-tail.ts).
 *
 * Cursor: `b<offset>` (bytes of the log file already turned into lines) or `t<tail cursor>`.
 */

const TaskLogInfo = z.looseObject({ url: z.string(), size: z.number() });

/** Bytes read per poll at most, so a long log after a long absence is caught up in steps. */
const READ_MAX = 1024 * 1024;

export async function readTaskLog(http: FlamencoTransport, taskId: string, cursor: string | null): Promise<{ lines: string[]; cursor: string | null }> {
  if (!cursor?.startsWith('t')) {
    const offset = cursor?.startsWith('b') ? Number(cursor.slice(1)) || 0 : 0;
    const read = await readFromFile(http, taskId, offset);
    if (read) return read;
  }
  const answer = await http.send('GET', `/api/v3/tasks/${encodeURIComponent(taskId)}/logtail`, undefined, [200, 204]);
  const tail = newTailLines(cursor ? cursor.slice(1) : null, answer.status === 204 ? '' : answer.text);
  return { lines: tail.lines, cursor: tail.cursor === null ? null : `t${tail.cursor}` };
}

/** Null when this Manager does not serve task log files: the caller falls back to the logtail. */
async function readFromFile(http: FlamencoTransport, taskId: string, offset: number): Promise<{ lines: string[]; cursor: string } | null> {
  let info;
  try {
    const answer = await http.send('GET', `/api/v3/tasks/${encodeURIComponent(taskId)}/log`, undefined, [200, 204]);
    if (answer.status === 204) return { lines: [], cursor: `b${offset}` };
    info = TaskLogInfo.parse(JSON.parse(answer.text));
  } catch (error) {
    if (error instanceof FlamencoHttpError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
  // A log shorter than what was read is a new log (the task's log was removed): start again.
  const from = info.size < offset ? 0 : offset;
  if (info.size === from) return { lines: [], cursor: `b${from}` };
  const last = Math.min(info.size, from + READ_MAX) - 1;
  const answer = await http.send('GET', info.url, undefined, [200, 206], { range: `bytes=${from}-${last}` });
  // 200: the server sent the whole file and ignored the range.
  const bytes = answer.status === 206 ? answer.bytes : answer.bytes.subarray(from, last + 1);
  // Only whole lines: a line still being written is read again, complete, next time.
  const end = bytes.lastIndexOf(0x0a) + 1;
  const lines = end === 0 ? [] : bytes.subarray(0, end - 1).toString('utf8').split('\n').map(workerLine);
  return { lines, cursor: `b${from + end}` };
}
