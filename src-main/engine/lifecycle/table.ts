/**
 * A transition table: for each state, the events it accepts and where each one leads. An event a
 * state does not list is refused. The tables are the whole rule; code never writes a status itself.
 */
export type Table<S extends string, E extends string> = Record<S, Partial<Record<E, S>>>;

export type Transition<S> = { ok: true; to: S } | { ok: false; from: S; event: string };

export function transition<S extends string, E extends string>(table: Table<S, E>, state: S, event: E): Transition<S> {
  const to = table[state][event];
  return to === undefined ? { ok: false, from: state, event } : { ok: true, to };
}

/**
 * The states that accept `event` and lead to `to`: what a store writes as `WHERE state IN (…)`, so
 * a bulk update can only move rows the table allows to move.
 */
export function sourcesOf<S extends string, E extends string>(table: Table<S, E>, event: E, to: S): S[] {
  return (Object.keys(table) as S[]).filter((state) => table[state][event] === to);
}
