import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandResult, ErrorCode } from '../../src-preload/contract';
import type { Dispatcher } from '../api/dispatch';
import { sendJson } from './respond';

export const MAX_BODY_BYTES = 1024 * 1024;

const STATUS: Record<ErrorCode, number> = { invalid: 400, 'not-found': 404, unavailable: 503, internal: 500 };

const fail = (code: ErrorCode, message: string): CommandResult<never> => ({ ok: false, error: { code, message } });

/** `POST /api/<command>` with a JSON body: the dispatcher's CommandResult as JSON. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, command: string, dispatch: Dispatcher): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, fail('invalid', 'commands are sent with POST'));
  }
  // JSON only: a cross-site <form> can send text/plain or form bodies without a CORS preflight.
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return sendJson(res, 415, fail('invalid', 'send the input as Content-Type: application/json'));
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    return sendJson(res, 413, fail('invalid', `the request body is larger than ${MAX_BODY_BYTES} bytes`));
  }

  const body = await readBody(req);
  if (body === 'too-large') {
    res.setHeader('Connection', 'close');
    return sendJson(res, 413, fail('invalid', `the request body is larger than ${MAX_BODY_BYTES} bytes`));
  }
  let input: unknown = {};
  if (body.trim()) {
    try {
      input = JSON.parse(body);
    } catch {
      return sendJson(res, 400, fail('invalid', 'the request body is not valid JSON'));
    }
  }
  const result = await dispatch(command, input);
  sendJson(res, result.ok ? 200 : STATUS[result.error.code], result);
}

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
