/**
 * Service colours: mid-tone hues readable on both dark and light editor backgrounds, none of them red (red
 * means error). Services past the palette repeat it with a lighter or darker shade.
 */
const PALETTE = [
  '#3b8fd9',
  '#e0912f',
  '#3faf8d',
  '#a47ad6',
  '#c9a82c',
  '#3bb5c9',
  '#d46fa4',
  '#7f9b39',
  '#7486d0',
  '#c0784a',
  '#4aa35a',
  '#b98a9a',
] as const;

export function serviceColor(index: number): string {
  const base = PALETTE[index % PALETTE.length]!;
  const round = Math.floor(index / PALETTE.length) % 3;
  return round === 0 ? base : shade(base, round === 1 ? 0.25 : -0.25);
}

/** Mixes toward white (amount > 0) or black (amount < 0). */
function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const target = amount > 0 ? 255 : 0;
  const a = Math.abs(amount);
  const mix = (c: number): number => Math.round(c + (target - c) * a);
  const r = mix((n >> 16) & 255);
  const g = mix((n >> 8) & 255);
  const b = mix(n & 255);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}
