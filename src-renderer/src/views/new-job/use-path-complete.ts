import { useEffect, useRef, useState } from 'react';
import type { DirEntryDto, DirListingDto } from '../../../../src-preload/contract';
import { call } from '../../bridge/call';

const MAX_SUGGESTIONS = 8;

/** Splits a typed path at its last separator: the folder to list and the start of a name in it. */
export function splitTyped(typed: string): { dir: string; prefix: string } | null {
  const cut = Math.max(typed.lastIndexOf('/'), typed.lastIndexOf('\\'));
  if (cut < 0) return null;
  return { dir: typed.slice(0, cut) || typed.slice(0, cut + 1), prefix: typed.slice(cut + 1) };
}

/**
 * Suggestions while a path is typed: the engine lists the folder typed so far (once per folder),
 * and the entries whose name starts with what follows the last separator are offered. Hidden
 * entries only when the name typed starts with a dot.
 */
export function usePathComplete(typed: string, enabled: boolean): DirEntryDto[] {
  const [suggestions, setSuggestions] = useState<DirEntryDto[]>([]);
  const cache = useRef<{ key: string; listing: DirListingDto | null } | null>(null);

  useEffect(() => {
    const parts = enabled ? splitTyped(typed) : null;
    if (!parts || !parts.dir.startsWith('/')) {
      setSuggestions([]);
      return;
    }
    let current = true;
    const hidden = parts.prefix.startsWith('.');
    const key = `${parts.dir}\0${hidden}`;
    const show = (listing: DirListingDto | null): void => {
      if (!current) return;
      const lower = parts.prefix.toLowerCase();
      const matches = (listing?.entries ?? []).filter((e) => e.name.toLowerCase().startsWith(lower) && !(e.kind === 'scene' && e.name === parts.prefix));
      setSuggestions(matches.slice(0, MAX_SUGGESTIONS));
    };
    if (cache.current?.key === key) {
      show(cache.current.listing);
      return;
    }
    const timer = setTimeout(() => {
      call('files.list', { dir: parts.dir, hidden, quiet: true })
        .catch(() => null)
        .then((listing) => {
          cache.current = { key, listing };
          show(listing);
        });
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [typed, enabled]);

  return suggestions;
}
