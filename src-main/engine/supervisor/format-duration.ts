/** `250 ms`, `30 s`, `1.5 s`, `10 min`, `2 min 5 s`, `1 h`, `1 h 30 min`: for failure messages people read. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) {
    const s = Math.round(ms / 100) / 10;
    return s === 60 ? '1 min' : `${s} s`;
  }
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) {
    const min = Math.floor(totalS / 60);
    const s = totalS % 60;
    return s === 0 ? `${min} min` : `${min} min ${s} s`;
  }
  const totalMin = Math.round(totalS / 60);
  const h = Math.floor(totalMin / 60);
  const min = totalMin % 60;
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}
