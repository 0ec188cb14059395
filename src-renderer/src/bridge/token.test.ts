import { describe, expect, it } from 'vitest';
import { takeTokenFromLocation } from './token';

function fakeWindow(href: string) {
  const calls: string[] = [];
  const loc = { href } as Location;
  const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => calls.push(url) } as unknown as History;
  return { loc, hist, calls };
}

describe('takeTokenFromLocation', () => {
  it('reads the token and removes it from the address, keeping the rest', () => {
    const w = fakeWindow('http://127.0.0.1:4000/?token=abc&x=1#/job/3');
    expect(takeTokenFromLocation(w.loc, w.hist)).toBe('abc');
    expect(w.calls).toEqual(['/?x=1#/job/3']);
  });

  it('leaves an address without a token alone', () => {
    const w = fakeWindow('http://127.0.0.1:4000/#/queue');
    expect(takeTokenFromLocation(w.loc, w.hist)).toBeNull();
    expect(w.calls).toEqual([]);
  });
});
