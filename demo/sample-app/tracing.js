// OpenTelemetry setup shared by the sample services: the real JS SDK exporting OTLP/protobuf to
// OTEL_EXPORTER_OTLP_ENDPOINT (Trace Lens's embedded receiver, http://127.0.0.1:4318, by default).
'use strict';
const path = require('node:path');
const { SpanStatusCode } = require('@opentelemetry/api');
const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const endpoint = (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:4318').replace(/\/$/, '');

/**
 * Records where each span was started as OpenTelemetry code attributes, the way a span processor can for
 * SDKs that do not: the first stack frame outside this file and http.js.
 */
class CodeAttributesProcessor {
  onStart(span) {
    const frame = callerFrame();
    if (!frame) return;
    span.setAttribute('code.file.path', frame.file);
    span.setAttribute('code.line.number', frame.line);
    if (frame.fn) span.setAttribute('code.function.name', frame.fn);
  }
  onEnd() {}
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

const plumbing = new Set([__filename, path.join(__dirname, 'http.js')]);
function callerFrame() {
  const stack = new Error().stack || '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /at (?:(?:async )?([\w$.<>]+) \()?(\/[^():]+):(\d+):\d+\)?$/.exec(line.trim());
    if (m && m[2].startsWith(__dirname) && !plumbing.has(m[2])) return { fn: m[1], file: m[2], line: Number(m[3]) };
  }
  return undefined;
}

/** Starts tracing for one service; `codeAttributes` adds the processor above. */
function setupTracing(serviceName, { codeAttributes = false } = {}) {
  const spanProcessors = [];
  if (codeAttributes) spanProcessors.push(new CodeAttributesProcessor());
  spanProcessors.push(
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), { scheduledDelayMillis: 500 }),
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'service.version': '1.0.0',
      'deployment.environment': 'demo',
    }),
    spanProcessors,
  });
  provider.register();
  const shutdown = () => provider.shutdown().finally(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return provider.getTracer(`sample-app/${serviceName}`, '1.0.0');
}

/** Marks a span failed with the exception recorded on it (an `exception` event with its stack trace). */
function fail(span, error) {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

module.exports = { setupTracing, fail };
