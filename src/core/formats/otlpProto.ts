/**
 * OTLP/protobuf trace files and bodies → traces. Requests are read straight from the wire into the model by
 * otlpProtoSpans.ts (log requests, for the receiver, by otlpProtoLogs.ts).
 */
import { TraceAssembler } from '../model/assemble';
import type { Trace } from '../model/types';
import { TraceFormatError } from './errors';
import { readOtlpProtoSpans } from './otlpProtoSpans';

const FORMAT = 'otlp-proto';

/** A binary ExportTraceServiceRequest (OTLP/HTTP `application/x-protobuf`, OTLP/gRPC message) → traces. */
export function parseOtlpProto(bytes: Uint8Array): Trace[] {
  if (!(bytes instanceof Uint8Array)) throw new TraceFormatError(FORMAT, 'byte 0', 'expected binary data');
  const assembler = new TraceAssembler(FORMAT);
  readOtlpProtoSpans(bytes, assembler, 'resourceSpans');
  return assembler.finish();
}
