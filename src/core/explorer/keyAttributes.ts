/**
 * The few attributes that say what a span did, for tooltips: HTTP, database, RPC and messaging fields under
 * their current OpenTelemetry names or the older ones, whichever the span has. Values are rendered as plain
 * text, cut to a readable length.
 */
import { readCodeAttributes } from '../codeLocation/codeAttributes';
import type { AttributeValue, Span } from '../model/types';

/** [label, keys in order of preference] */
const KEY_ATTRIBUTES: readonly (readonly [string, readonly string[]])[] = [
  ['method', ['http.request.method', 'http.method']],
  ['route', ['http.route']],
  ['url', ['url.full', 'http.url', 'http.target', 'url.path']],
  ['status code', ['http.response.status_code', 'http.status_code', 'rpc.grpc.status_code']],
  ['rpc', ['rpc.method', 'rpc.service']],
  ['db', ['db.system.name', 'db.system']],
  ['statement', ['db.query.text', 'db.statement']],
  ['messaging', ['messaging.destination.name', 'messaging.destination', 'messaging.system']],
  ['peer', ['server.address', 'net.peer.name', 'peer.service']],
  ['exception', ['exception.type', 'error.type']],
  ['message', ['exception.message', 'error.message']],
];

const MAX_VALUE_CHARS = 200;

export function keyAttributes(span: Span): [label: string, value: string][] {
  const out: [string, string][] = [];
  for (const [label, keys] of KEY_ATTRIBUTES) {
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(span.attributes, key)) continue;
      const text = valueText(span.attributes[key]);
      if (text === undefined) continue;
      out.push([label, text]);
      break;
    }
  }
  return out;
}

/** Where the span says its code is ("src/orders.js:42 · placeOrder"), from code.* attributes; undefined when it does not say. */
export function declaredCodeLocation(span: Span): string | undefined {
  const code = readCodeAttributes(span.attributes);
  if (!code) return undefined;
  const where = code.filePath ? `${code.filePath}${code.line !== undefined ? `:${code.line}` : ''}` : undefined;
  const parts = [where, code.function].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function valueText(v: AttributeValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  let text: string;
  if (typeof v === 'string') text = v;
  else if (typeof v === 'number' || typeof v === 'boolean') text = String(v);
  else if (Array.isArray(v)) text = v.map((x) => valueText(x) ?? '').join(', ');
  else return undefined;
  text = text.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
