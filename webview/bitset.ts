/** Bitsets over rows as base64, for the persisted view state (100,000 rows ≈ 17 KB). DOM-free. */

export function encodeBitset(bits: Uint8Array): string {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === 1) bytes[i >> 3]! |= 1 << (i & 7);
  let last = bytes.length;
  while (last > 0 && bytes[last - 1] === 0) last--;
  let binary = '';
  for (let i = 0; i < last; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, Math.min(last, i + 0x8000)));
  return btoa(binary);
}

/** The bits of `encoded` over `n` rows; anything malformed reads as no bits set. */
export function decodeBitset(encoded: string, n: number): Uint8Array {
  const bits = new Uint8Array(n);
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    return bits;
  }
  const limit = Math.min(binary.length * 8, n);
  for (let i = 0; i < limit; i++) if ((binary.charCodeAt(i >> 3) >> (i & 7)) & 1) bits[i] = 1;
  return bits;
}
