/**
 * OTLP/protobuf readers. Trace requests are read straight into the model by otlpProtoSpans.ts; log requests
 * are decoded by the protobufjs static code that @opentelemetry/otlp-transformer 0.57.2 generated from the
 * official opentelemetry-proto (installed as `otlp-transformer-generated`).
 */
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import type { IConversionOptions } from 'protobufjs';
import { TraceAssembler } from '../model/assemble';
import type { Trace } from '../model/types';
import { TraceFormatError } from './errors';
import { readOtlpProtoSpans } from './otlpProtoSpans';

const FORMAT = 'otlp-proto';

/** The part of a generated message class used here (root.d.ts types the root only as a protobufjs Root). */
interface MessageClass<T> {
  decode(bytes: Uint8Array): T;
  toObject(message: T, options?: IConversionOptions): Record<string, unknown>;
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        logs: { v1: { ExportLogsServiceRequest: MessageClass<object> } };
      };
    };
  };
}

const collector = (generatedRoot as unknown as GeneratedRoot).opentelemetry.proto.collector;

/** A binary ExportTraceServiceRequest (OTLP/HTTP `application/x-protobuf`, OTLP/gRPC message) → traces. */
export function parseOtlpProto(bytes: Uint8Array): Trace[] {
  if (!(bytes instanceof Uint8Array)) throw new TraceFormatError(FORMAT, 'byte 0', 'expected binary data');
  const assembler = new TraceAssembler(FORMAT);
  readOtlpProtoSpans(bytes, assembler, 'resourceSpans');
  return assembler.finish();
}

/** A decoded OTLP KeyValue list entry, as `decodeOtlpLogsRequest` returns it. */
export interface DecodedKeyValue {
  key?: string;
  value?: DecodedAnyValue;
}

/** One of the members is set; int64 is a decimal string, bytes are a Uint8Array. */
export interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: DecodedAnyValue[] };
  kvlistValue?: { values?: DecodedKeyValue[] };
  bytesValue?: Uint8Array;
}

/** ExportLogsServiceRequest as a plain object: absent fields are absent, 64-bit times are decimal strings. */
export interface DecodedLogsRequest {
  resourceLogs?: {
    resource?: { attributes?: DecodedKeyValue[] };
    scopeLogs?: {
      scope?: { name?: string; version?: string; attributes?: DecodedKeyValue[] };
      logRecords?: DecodedLogRecord[];
    }[];
  }[];
}

export interface DecodedLogRecord {
  /** epoch nanoseconds, decimal */
  timeUnixNano?: string;
  /** epoch nanoseconds, decimal */
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: DecodedAnyValue;
  attributes?: DecodedKeyValue[];
  flags?: number;
  /** raw bytes; read with readTraceId / readSpanId from otlpValues */
  traceId?: Uint8Array;
  spanId?: Uint8Array;
}

/**
 * A binary ExportLogsServiceRequest → plain object (for the receiver, which reads exception log
 * records). Its values fit the readers in otlpValues (readAttributes, readAnyValue, readNanos, readTraceId).
 */
export function decodeOtlpLogsRequest(bytes: Uint8Array): DecodedLogsRequest {
  const type = collector.logs.v1.ExportLogsServiceRequest;
  return type.toObject(decode(type, bytes), { longs: String }) as DecodedLogsRequest;
}

function decode<T>(type: MessageClass<T>, bytes: Uint8Array): T {
  if (!(bytes instanceof Uint8Array)) throw new TraceFormatError(FORMAT, 'byte 0', 'expected binary data');
  try {
    return type.decode(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // protobufjs says "index out of range: 12 + 10 > 20" or "invalid wire type 7 at offset 3".
    const offset = /(?:offset |range: )(\d+)/.exec(message)?.[1];
    throw new TraceFormatError(
      FORMAT,
      offset !== undefined ? `byte ${offset}` : 'bytes',
      `protobuf decoding failed (${message})`,
    );
  }
}
