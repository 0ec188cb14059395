/**
 * Browser mode's token arrives once in the address (`?token=…`, printed by `spool serve`). The
 * server also sets an HttpOnly cookie from it, so after reading it the address bar is cleaned:
 * a token left there ends up in screenshots, history and bookmarks.
 */
export function takeTokenFromLocation(loc: Location = window.location, hist: History = window.history): string | null {
  const url = new URL(loc.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  const clean = url.pathname + (url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '') + url.hash;
  hist.replaceState(hist.state, '', clean);
  return token || null;
}
