/**
 * Response bodies of the receiver, in the request's encoding as OTLP/HTTP asks: Export*ServiceResponse
 * (empty on full success, with partial_success when something was rejected) and google.rpc.Status for
 * errors. Protobuf responses are encoded by the generated code of the official protos.
 */
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import { Writer } from 'protobufjs/minimal';
import type { OtlpEncoding } from './otlpRequests';

interface ResponseClass {
  encode(message: object): { finish(): Uint8Array };
}
const collector = (
  generatedRoot as unknown as {
    opentelemetry: {
      proto: {
        collector: {
          trace: { v1: { ExportTraceServiceResponse: ResponseClass } };
          logs: { v1: { ExportLogsServiceResponse: ResponseClass } };
        };
      };
    };
  }
).opentelemetry.proto.collector;

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

/** An ExportTraceServiceResponse / ExportLogsServiceResponse; `rejected` 0 means full success. */
export function exportResponse(signal: Signal, encoding: OtlpEncoding, rejected: number, errorMessage: string): Buffer {
  const countField = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const partial = rejected > 0 || errorMessage !== '' ? { [countField]: rejected, errorMessage } : undefined;
  if (encoding === 'json') {
    // int64 as a decimal string, as the protobuf JSON mapping writes it
    return Buffer.from(JSON.stringify(partial ? { partialSuccess: { ...partial, [countField]: String(rejected) } } : {}));
  }
  const type = signal === 'traces' ? collector.trace.v1.ExportTraceServiceResponse : collector.logs.v1.ExportLogsServiceResponse;
  const bytes = type.encode(partial ? { partialSuccess: partial } : {}).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A google.rpc.Status `{code, message}` (field 1 int32, field 2 string). */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const bytes = Writer.create()
    .uint32((1 << 3) | 0)
    .int32(code)
    .uint32((2 << 3) | 2)
    .string(message)
    .finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
