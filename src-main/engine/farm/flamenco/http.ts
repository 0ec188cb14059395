import type { z } from 'zod';
import { FarmUnreachable } from '../backend';
import { ApiError } from './schemas';

/**
 * One request to a Flamenco Manager: Node's fetch with a timeout. A Manager that does not answer
 * (refused, reset, DNS, timeout) becomes FarmUnreachable, so the job waits instead of failing;
 * an answer with an error status becomes FlamencoHttpError carrying the Manager's own message.
 */

export interface FlamencoTransportOptions {
  /** The profile's name, for FarmUnreachable. */
  readonly farm: string;
  /** The Manager's base URL, e.g. http://manager:8080 */
  readonly url: string;
  readonly timeoutMs?: number;
  /**
   * Flamenco 3 has no API auth; a reverse proxy in front of it may want a bearer token. It only
   * ever goes into the Authorization header: never into an error, a URL or a log line.
   */
  readonly token?: string;
}

export class FlamencoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    what: string,
  ) {
    super(`${what}: Flamenco answered ${status}: ${detail}`);
    this.name = 'FlamencoHttpError';
  }
}

export interface FlamencoAnswer {
  status: number;
  text: string;
  bytes: Buffer;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class FlamencoTransport {
  private readonly base: string;
  private readonly options: Omit<FlamencoTransportOptions, 'token'>;
  // An ES private field: not in JSON.stringify, util.inspect or a spread of this object.
  readonly #token: string | undefined;

  constructor({ token, ...options }: FlamencoTransportOptions) {
    this.options = options;
    this.#token = token;
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Flamenco URL must be http or https, got ${url.protocol}`);
    if (url.username || url.password) throw new Error('Flamenco URL must not carry a user or password');
    this.base = url.origin + url.pathname.replace(/\/+$/, '');
  }

  get farm(): string {
    return this.options.farm;
  }

  get baseUrl(): string {
    return this.base;
  }

  /** The raw answer; statuses in `accept` are returned, any other becomes FlamencoHttpError. */
  async send(method: 'GET' | 'POST', path: string, body: unknown, accept: readonly number[], extraHeaders: Record<string, string> = {}): Promise<FlamencoAnswer> {
    const headers: Record<string, string> = { accept: 'application/json, text/plain', ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    const what = `${method} ${path}`;
    const request = (): Promise<Response> =>
      fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        redirect: 'error',
      });
    let response: Response;
    let bytes: Buffer;
    try {
      try {
        response = await request();
      } catch (error) {
        // A kept-alive connection the Manager closed (it restarted) fails at once; a GET may
        // safely go again on a fresh one. A POST may not: it could have been applied.
        if (method !== 'GET' || !STALE_CONNECTION.has(causeOf(error)?.code ?? '')) throw error;
        response = await request();
      }
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new FarmUnreachable(this.options.farm, `${what} at ${this.base}: ${networkReason(error)}`);
    }
    const text = bytes.toString('utf8');
    if (accept.includes(response.status)) return { status: response.status, text, bytes };
    // 502/503/504 come from a proxy in front of a Manager that is down, or a busy Manager
    // database (503 + Retry-After): in both the farm is not answering, so the job waits.
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      throw new FarmUnreachable(this.options.farm, `${what}: HTTP ${response.status} ${errorMessage(text)}`);
    }
    throw new FlamencoHttpError(response.status, errorMessage(text), what);
  }

  /** A JSON answer with status 200, parsed by `schema`. */
  async json<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const answer = await this.send(method, path, body, [200]);
    let value: unknown;
    try {
      value = JSON.parse(answer.text);
    } catch {
      throw new Error(`${method} ${path}: Flamenco answered something that is not JSON: ${answer.text.slice(0, 120)}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${method} ${path}: unexpected answer from Flamenco at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    return parsed.data;
  }
}

/** The Manager's `Error {code, message}` when it sent one, else the start of the body. */
function errorMessage(text: string): string {
  try {
    const parsed = ApiError.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 200) || '(no message)';
}

const STALE_CONNECTION = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

function causeOf(error: unknown): { code?: string; message?: string } | undefined {
  return error instanceof Error ? (error as { cause?: { code?: string; message?: string } }).cause : undefined;
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
  return causeOf(error)?.message ?? error.message;
}
