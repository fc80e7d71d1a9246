/**
 * Reads a request body within two per-request limits (bytes received, bytes once inflated) and the process's
 * receive budget (receiveBudget.ts). Nothing is held in memory past a limit: an oversized body stops being read
 * as soon as it passes it, inflating stops at it (a gzip bomb costs at most the limit, and one whose gzip trailer
 * already says it inflates past the limit costs nothing), and the budget is taken before the bytes are: the
 * declared Content-Length before reading, the size a gzip trailer promises before inflating, else chunk by chunk.
 * Bodies are gathered into one buffer allocated up front when their size is known, rather than joined at the
 * end, which would copy a large body in one go on the event loop.
 */
import type { IncomingMessage } from 'node:http';
import * as zlib from 'node:zlib';
import type { BudgetLease } from './receiveBudget';
import { ReceiverHttpError } from './receiverErrors';

export interface BodyLimits {
  /** most bytes read off the wire */
  maxBytes: number;
  /** most bytes after decompression */
  maxDecompressedBytes: number;
}

/** Content-Encoding values accepted, lower-cased; identity means none. */
const ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip', 'deflate']);
/** Output chunks of the inflater, in bytes: fewer, larger callbacks than zlib's 16 KiB default. */
const INFLATE_CHUNK_BYTES = 256 * 1024;
/** Seconds an exporter is asked to wait before sending a refused request again. */
export const RETRY_AFTER_S = 2;

/** Throws a 415 for a Content-Encoding the receiver cannot read, before any of the body is read. */
export function checkContentEncoding(req: IncomingMessage): string {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (!ENCODINGS.has(encoding)) {
    throw new ReceiverHttpError(415, `Content-Encoding "${encoding}" is not supported; send gzip or no encoding`);
  }
  return encoding;
}

/** The 429 for a request the receive budget cannot take now. */
export function busyError(bytes: number): ReceiverHttpError {
  return new ReceiverHttpError(
    429,
    `the receiver is busy with other large requests and cannot take ${bytes} more bytes of this one now; retry after ${RETRY_AFTER_S} s`,
    { 'retry-after': String(RETRY_AFTER_S) },
  );
}

/**
 * The whole body, decompressed, its bytes taken from `lease` (which the caller releases once the request is
 * answered). Rejects with a ReceiverHttpError: 400 unreadable, 413 too large, 429 over the receive budget.
 */
export async function readBody(req: IncomingMessage, encoding: string, limits: BodyLimits, lease: BudgetLease): Promise<Buffer> {
  const raw = await readRaw(req, limits.maxBytes, lease);
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    if (raw.length > limits.maxDecompressedBytes) {
      throw new ReceiverHttpError(413, `the body is larger than ${limits.maxDecompressedBytes} bytes`);
    }
    return raw;
  }
  const inflated = await inflate(raw, encoding === 'deflate' ? 'deflate' : 'gzip', limits.maxDecompressedBytes, lease);
  lease.release(raw.length);
  return inflated;
}

function readRaw(req: IncomingMessage, maxBytes: number, lease: BudgetLease): Promise<Buffer> {
  const header = req.headers['content-length'];
  const declared = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
  if (declared !== undefined && declared > maxBytes) {
    return Promise.reject(new ReceiverHttpError(413, `the body (${declared} bytes) is larger than ${maxBytes} bytes`));
  }
  if (declared !== undefined && !lease.take(declared)) return Promise.reject(busyError(declared));
  return new Promise((resolve, reject) => {
    const gathered = new Gathered(declared);
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const stop = (error: ReceiverHttpError): void => {
      cleanup();
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      if (gathered.length + chunk.length > maxBytes)
        return stop(new ReceiverHttpError(413, `the body is larger than ${maxBytes} bytes`));
      if (declared === undefined && !lease.take(chunk.length)) return stop(busyError(chunk.length));
      gathered.add(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(gathered.result());
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

function inflate(raw: Buffer, format: 'gzip' | 'deflate', maxBytes: number, lease: BudgetLease): Promise<Buffer> {
  // A gzip member ends with its size modulo 2^32: the size of the last (usually only) member, at least.
  const promised = format === 'gzip' && raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : undefined;
  if (promised !== undefined && promised > maxBytes) {
    return Promise.reject(
      new ReceiverHttpError(413, `the body inflates to more than ${maxBytes} bytes (its gzip trailer says ${promised})`),
    );
  }
  const reserved = promised !== undefined && lease.take(promised) ? promised : undefined;
  if (promised !== undefined && reserved === undefined) return Promise.reject(busyError(promised));
  return new Promise((resolve, reject) => {
    const stream =
      format === 'gzip'
        ? zlib.createGunzip({ chunkSize: INFLATE_CHUNK_BYTES })
        : zlib.createInflate({ chunkSize: INFLATE_CHUNK_BYTES });
    const gathered = new Gathered(reserved);
    let failed = false;
    const fail = (error: ReceiverHttpError): void => {
      if (failed) return;
      failed = true;
      stream.destroy();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (gathered.length + chunk.length > maxBytes)
        return fail(new ReceiverHttpError(413, `the body inflates to more than ${maxBytes} bytes`));
      // beyond what the trailer promised (another member, or a lie), the budget is taken as the bytes come
      const beyond = gathered.length + chunk.length - (reserved ?? 0);
      if (beyond > 0 && !lease.take(Math.min(beyond, chunk.length))) return fail(busyError(chunk.length));
      gathered.add(chunk);
    });
    stream.on('error', (e) => fail(new ReceiverHttpError(400, `the body is not valid ${format} data (${e.message})`)));
    stream.on('end', () => {
      if (!failed) resolve(gathered.result());
    });
    stream.end(raw);
  });
}

/**
 * Chunks gathered into one buffer: allocated up front when the size is known (copied into as they come, so
 * no single large copy at the end), else kept and joined at the end.
 */
class Gathered {
  length = 0;
  private readonly chunks: Buffer[] = [];
  private readonly into: Buffer | undefined;

  constructor(expected: number | undefined) {
    this.into = expected !== undefined && expected > 0 ? Buffer.allocUnsafe(expected) : undefined;
  }

  add(chunk: Buffer): void {
    if (this.into && this.chunks.length === 0 && this.length + chunk.length <= this.into.length) {
      chunk.copy(this.into, this.length);
    } else {
      if (this.into && this.chunks.length === 0) this.chunks.push(this.into.subarray(0, this.length));
      this.chunks.push(chunk);
    }
    this.length += chunk.length;
  }

  result(): Buffer {
    if (this.chunks.length === 0) return this.into ? this.into.subarray(0, this.length) : Buffer.alloc(0);
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
  }
}
