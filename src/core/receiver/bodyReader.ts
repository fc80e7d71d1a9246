/**
 * Reads a request body with two hard limits: on the bytes received and, for a compressed body, on the
 * bytes it inflates to. Neither is ever exceeded in memory: an oversized body stops being read as soon
 * as it passes the limit, and inflating stops at the limit (a gzip bomb costs at most the limit).
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ReceiverHttpError } from './receiverErrors';

export interface BodyLimits {
  /** most bytes read off the wire */
  maxBytes: number;
  /** most bytes after decompression */
  maxDecompressedBytes: number;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

/** Content-Encoding values accepted, lower-cased; identity means none. */
const ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip', 'deflate']);

/** Throws a 415 for a Content-Encoding the receiver cannot read, before any of the body is read. */
export function checkContentEncoding(req: IncomingMessage): string {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (!ENCODINGS.has(encoding)) {
    throw new ReceiverHttpError(415, `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  return encoding;
}

/** The whole body, decompressed. Rejects with a ReceiverHttpError (400 or 413). */
export async function readBody(req: IncomingMessage, encoding: string, limits: BodyLimits): Promise<Buffer> {
  const raw = await readRaw(req, limits.maxBytes);
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    try {
      const options = { maxOutputLength: Math.max(1, limits.maxDecompressedBytes) };
      return encoding === 'deflate' ? await inflate(raw, options) : await gunzip(raw, options);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ReceiverHttpError(413, `the body inflates to more than ${limits.maxDecompressedBytes} bytes`);
      }
      throw new ReceiverHttpError(400, `the body is not valid ${encoding} data (${(e as Error).message})`);
    }
  }
  if (raw.length > limits.maxDecompressedBytes) {
    throw new ReceiverHttpError(413, `the body is larger than ${limits.maxDecompressedBytes} bytes`);
  }
  return raw;
}

function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(new ReceiverHttpError(413, `the body (${declared} bytes) is larger than ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > maxBytes) {
        cleanup();
        req.pause();
        reject(new ReceiverHttpError(413, `the body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(new ReceiverHttpError(400, `the body could not be read (${e.message})`));
    };
    const onAborted = (): void => onError(new Error('the client closed the connection'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
