import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { writePrivateFile } from '../engine/private-files';

/**
 * Browser mode's gate. Any web page the user visits can send requests to 127.0.0.1, so every
 * request must prove it came from someone who read the token (printed on the terminal, or in a
 * file only this user can read), and come from our own origin and host name (DNS rebinding).
 */

export const TOKEN_FILE = 'browser-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface KeptToken {
  token: string;
  file: string;
  /** Why a new token was made instead of the kept one ('missing', 'asked', 'unsafe', 'damaged'); null when kept. */
  renewed: 'missing' | 'asked' | 'unsafe' | 'damaged' | null;
}

/**
 * The token browser mode keeps across restarts, so an open tab (its cookie and its in-memory copy)
 * still works after `spool serve` comes back. A file that others could read (or that is not ours,
 * or not a plain file) may have been read: it is replaced, never trusted.
 */
export function keptToken(dataDir: string, opts: { rotate?: boolean } = {}): KeptToken {
  const file = path.join(dataDir, TOKEN_FILE);
  const renewed = opts.rotate ? 'asked' : checkTokenFile(file);
  if (renewed === null) return { token: readFileSync(file, 'utf8').trim(), file, renewed };
  const token = newToken();
  writePrivateFile(file, `${token}\n`);
  return { token, file, renewed };
}

function checkTokenFile(file: string): KeptToken['renewed'] {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return 'missing';
  }
  const ours = typeof process.getuid !== 'function' || stat.uid === process.getuid();
  if (!stat.isFile() || !ours || (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)) return 'unsafe';
  return TOKEN_SHAPE.test(readFileSync(file, 'utf8').trim()) ? null : 'damaged';
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies are per host, not per port: a name per port keeps two servers from clobbering each other. */
export function cookieName(port: number): string {
  return `spool_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Where a request may carry the token: `Authorization: Bearer`, our cookie, or `?token=`. */
export function presentedTokens(req: IncomingMessage, url: URL, port: number): string[] {
  const found: string[] = [];
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) found.push(auth.slice('Bearer '.length).trim());
  const cookie = readCookie(req.headers.cookie, cookieName(port));
  if (cookie) found.push(cookie);
  const query = url.searchParams.get('token');
  if (query) found.push(query);
  return found;
}

export function isAuthorized(req: IncomingMessage, url: URL, port: number, token: string): boolean {
  return presentedTokens(req, url, port).some((given) => tokensMatch(token, given));
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * A page on another site reaching us through a rebound DNS name sends its own name as Host; a
 * cross-site fetch sends its own Origin. Only our loopback names on our port pass.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * One-time addresses for `spool serve --open`: a browser is started with a command line every
 * local user can read (`ps`), so it gets `/open/<nonce>` instead of the token. The nonce works
 * once, within a minute, and redeems to the token cookie.
 */
export class OneTimeLinks {
  private readonly live = new Map<string, number>();

  constructor(private readonly ttlMs = 60_000) {}

  create(now = Date.now()): string {
    for (const [nonce, expires] of this.live) if (expires <= now) this.live.delete(nonce);
    const nonce = randomBytes(32).toString('base64url');
    this.live.set(nonce, now + this.ttlMs);
    return nonce;
  }

  /** True once for a live nonce; it is gone afterwards whatever the answer. */
  redeem(nonce: string, now = Date.now()): boolean {
    const expires = this.live.get(nonce);
    this.live.delete(nonce);
    return expires !== undefined && expires > now;
  }
}
