/**
 * Response bodies of the receiver, in the request's encoding as OTLP/HTTP asks: Export*ServiceResponse
 * (empty on full success, with partial_success when something was rejected) and google.rpc.Status for
 * errors. Protobuf bodies are written here directly: each is at most two fields of one small message.
 */
import type { OtlpEncoding } from './otlpRequests';

export const CONTENT_TYPES: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** gRPC status codes used in google.rpc.Status bodies. */
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_NOT_FOUND = 5;
export const GRPC_PERMISSION_DENIED = 7;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;

export type Signal = 'traces' | 'logs';

/**
 * An ExportTraceServiceResponse / ExportLogsServiceResponse; `rejected` 0 and no message means full success.
 * Both are `{partial_success = 1: {rejected_spans | rejected_log_records = 1 (int64), error_message = 2}}`.
 */
export function exportResponse(signal: Signal, encoding: OtlpEncoding, rejected: number, errorMessage: string): Buffer {
  const partial = rejected > 0 || errorMessage !== '';
  if (encoding === 'json') {
    const countField = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
    // int64 as a decimal string, as the protobuf JSON mapping writes it
    return Buffer.from(JSON.stringify(partial ? { partialSuccess: { [countField]: String(rejected), errorMessage } } : {}));
  }
  if (!partial) return Buffer.alloc(0);
  const inner = Buffer.concat([
    rejected > 0 ? varintField(1, rejected) : EMPTY,
    errorMessage !== '' ? stringField(2, errorMessage) : EMPTY,
  ]);
  return lengthDelimited(1, inner);
}

/** A google.rpc.Status `{code, message}` (field 1 int32, field 2 string). */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.concat([varintField(1, code), stringField(2, message)]);
}

// ---- the protobuf wire format, as much of it as these messages use ----

const EMPTY = Buffer.alloc(0);
const VARINT = 0;
const LEN = 2;

/** A non-negative integer below 2^53 as a varint. */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function varintField(field: number, n: number): Buffer {
  return Buffer.concat([varint((field << 3) | VARINT), varint(n)]);
}

function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | LEN), varint(bytes.length), bytes]);
}

function stringField(field: number, text: string): Buffer {
  return lengthDelimited(field, Buffer.from(text, 'utf8'));
}

export function grpcCodeFor(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return GRPC_INVALID_ARGUMENT;
    case 403:
      return GRPC_PERMISSION_DENIED;
    case 404:
      return GRPC_NOT_FOUND;
    case 405:
    case 415:
      return GRPC_UNIMPLEMENTED;
    case 413:
      return GRPC_RESOURCE_EXHAUSTED;
    default:
      return GRPC_INTERNAL;
  }
}
