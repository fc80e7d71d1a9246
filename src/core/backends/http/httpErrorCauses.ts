/**
 * Reading why a request failed from what Node and undici threw: the error codes anywhere in the error,
 * and the ones that mean a reset connection or a rejected certificate.
 */

export const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
export const CERT_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Every error code in an error, its causes and an AggregateError's members (happy eyeballs). */
export function errorCodes(e: unknown, depth = 0): string[] {
  if (typeof e !== 'object' || e === null || depth > 4) return [];
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  const out: string[] = typeof o.code === 'string' ? [o.code] : [];
  out.push(...errorCodes(o.cause, depth + 1));
  if (Array.isArray(o.errors)) for (const inner of o.errors) out.push(...errorCodes(inner, depth + 1));
  return out;
}

export function isReset(e: unknown): boolean {
  return errorCodes(e).some((c) => RESET_CODES.has(c));
}
