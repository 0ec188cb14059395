/**
 * The app's own origin. The renderer is served from `app://spool/…` (a standard, secure custom
 * scheme), never from file:// or http://, so "is this ours?" is one comparison.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'spool';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

/**
 * True only for URLs of the app's own origin. Parsed with `new URL` rather than compared with
 * startsWith, which `app://spool.evil/` or `app://spool@evil/` would pass. Compares scheme and
 * host, not `.origin`: Node's URL gives the string "null" as the origin of a non-special scheme.
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '' && parsed.port === '';
}

/**
 * IPC comes only from our own page: the URL of the frame that sent it must be ours. A missing
 * frame (navigated away or destroyed before the message was handled) is a refusal too.
 */
export function isTrustedSender(url: string | undefined | null): boolean {
  return isAppUrl(url);
}

/**
 * The one permission the page may have: writing text to the clipboard (the log view's Copy), and
 * only for our own origin. Camera, microphone, geolocation, notifications, … are all refused.
 */
export function isAllowedPermission(permission: string, requestingUrl: string | undefined | null): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
