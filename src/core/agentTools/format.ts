/** Numbers and times in answers to agents: durations to three significant digits, instants in UTC ISO 8601. */

/** `us` is microseconds: 850 → "850 µs", 12_345 → "12.3 ms", 1_250_000 → "1.25 s", 95e6 → "1.58 min". */
export function duration(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '?';
  if (us === 0) return '0 µs';
  if (us < 1) return '< 1 µs';
  if (us < 1_000) return `${sig(us)} µs`;
  if (us < 1_000_000) return `${sig(us / 1_000)} ms`;
  if (us < 60_000_000) return `${sig(us / 1_000_000)} s`;
  if (us < 3_600_000_000) return `${sig(us / 60_000_000)} min`;
  return `${sig(us / 3_600_000_000)} h`;
}

/** Epoch µs → `2026-01-01T00:00:00.000Z`; "unknown time" for what is not a plausible instant. */
export function instant(us: number): string {
  if (!Number.isFinite(us) || us <= 0) return 'unknown time';
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? 'unknown time' : d.toISOString();
}

/** "from … to …" for a window of epoch µs. */
export function timeWindow(startUs: number, endUs: number): string {
  return `${instant(startUs)} to ${instant(endUs)}`;
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 span", "3 spans". */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}

/** A fraction 0..1 as "3.1%". */
export function percent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '?';
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  return `${Number(pct.toPrecision(pct < 10 ? 2 : 3))}%`;
}

function sig(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}
