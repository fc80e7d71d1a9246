/** Durations as people read them in a list: three significant digits, the largest unit that keeps them ≥ 1. */

/** `us` is microseconds. 850 → "850 µs", 12_345 → "12.3 ms", 1_250_000 → "1.25 s", 125_000_000 → "2 min 5 s". */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '–';
  if (us < 1) return us === 0 ? '0 µs' : '< 1 µs';
  if (us < 1_000) return `${significant(us)} µs`;
  if (us < 1_000_000) return `${significant(us / 1_000)} ms`;
  if (us < 60_000_000) return `${significant(us / 1_000_000)} s`;
  const totalSeconds = Math.round(us / 1_000_000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** Three significant digits without trailing zeros; 999.6 stays "1000" rather than "1.00e+3". */
function significant(value: number): string {
  return value >= 100 ? Math.round(value).toString() : Number(value.toPrecision(3)).toString();
}
