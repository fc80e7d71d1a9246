/**
 * Reading a response: its headers as one string each, and its body streamed under a byte cap and
 * decompressed under the same cap.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { BackendMalformedError, BackendTooLargeError, settingsRemedies } from '../backendErrors';
import type { HttpClientConfig } from './httpClientConfig';
import { describeError } from '../../describeError';
import { errorCodes } from './httpErrorCauses';
import type { RequestState } from './httpTypes';

/** Error bodies are read only this far: enough for a message, never a download. */
export const ERROR_BODY_BYTES = 64 * 1024;

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * Streams the body, counting bytes; past `limit` it either stops quietly (error bodies, which are only
 * read for their message) or aborts the response with BackendTooLargeError. Compressed bodies are
 * bounded twice: on the wire and after decompression.
 */
export async function readBody(
  config: HttpClientConfig,
  res: Dispatcher.ResponseData,
  limit: number,
  lenient: boolean,
  state: RequestState,
): Promise<Buffer> {
  const declared = Number(headerValue(res.headers['content-length']));
  if (!lenient && Number.isFinite(declared) && declared > limit) {
    res.body.destroy();
    throw tooLarge(config, state, declared);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    state.received += chunk.length;
    if (size > limit) {
      if (!lenient) throw tooLarge(config, state, size); // leaving the loop destroys the stream and its socket
      chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
      size = limit;
      break;
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  const encoding = (headerValue(res.headers['content-encoding']) ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || raw.length === 0) return raw;
  try {
    const options = { maxOutputLength: limit };
    if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzip(raw, options);
    if (encoding === 'br') return await brotliDecompress(raw, options);
    if (encoding === 'deflate') {
      // servers send zlib-wrapped or raw deflate under the same name; only a format error means "try the other"
      return await inflate(raw, options).catch((e: unknown) => {
        if (errorCodes(e).includes('ERR_BUFFER_TOO_LARGE')) throw e;
        return inflateRaw(raw, options);
      });
    }
  } catch (e) {
    if (lenient) return Buffer.alloc(0);
    if (errorCodes(e).includes('ERR_BUFFER_TOO_LARGE')) throw tooLarge(config, state, undefined);
    throw new BackendMalformedError(
      `${config.where} sent a ${encoding}-compressed response to ${state.path} that is corrupt or cut short (${describeError(e)}) — try again; if it persists, a proxy may be mangling it`,
      { backend: config.backend, url: state.displayUrl },
    );
  }
  if (lenient) return raw;
  throw new BackendMalformedError(
    `${config.where} sent a response to ${state.path} in an encoding Trace Lens cannot read ("${encoding}")`,
    { backend: config.backend, url: state.displayUrl },
  );
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = headerValue(value);
    if (v !== undefined) out[name.toLowerCase()] = v;
  }
  return out;
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  const mb = n / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function tooLarge(config: HttpClientConfig, state: RequestState, size: number | undefined): BackendTooLargeError {
  const sizePart = size === undefined ? 'that decompresses to more than' : `of ${formatBytes(size)}, over`;
  return new BackendTooLargeError(
    `${config.where} sent a response to ${state.path} ${sizePart} the ${formatBytes(config.maxResponseBytes)} limit — narrow the search (shorter time range, lower limit) or raise the response size limit`,
    { backend: config.backend, url: state.displayUrl, remedies: settingsRemedies('checkSettings') },
    config.maxResponseBytes,
  );
}
