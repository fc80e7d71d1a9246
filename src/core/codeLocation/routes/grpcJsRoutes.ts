/**
 * grpc-js servers: `server.addService(proto.shop.PaymentService.service, { charge: chargeHandler })` registers
 * each RPC method by the key of an object; the handler is the function that key names. Recorded as routes
 * `/<Service>/<method>` (framework `grpc`) so that RPC spans find handlers that are not methods of a class.
 */
import { emit, handlerName, handlerPlace } from './emit';
import type { RouteDefinition } from './routeTypes';
import type { Arg, Source } from './sourceScan';

const ADD_SERVICE = /\.\s*addService\s*\(/g;

export function grpcJsRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  for (const m of c.matchAll(ADD_SERVICE)) {
    const call = src.call(m.index + m[0].length - 1);
    const [definition, implementation] = call?.args ?? [];
    if (!definition || !implementation) continue;
    const service = serviceName(definition.text);
    if (service === undefined) continue;
    for (const entry of handlers(src, implementation)) {
      const handler = handlerName(entry.value);
      const place = entry.value ? handlerPlace(src, handler, src.line(entry.value.start)) : { line: src.line(entry.at) };
      emit(out, src.file, { route: `/${service}/${entry.key}`, ...place, handler: handler ?? entry.key, framework: 'grpc' });
    }
  }
}

/** `proto.shop.PaymentService.service`, `services.PaymentServiceService` (grpc-tools), `PaymentService` → PaymentService */
function serviceName(text: string): string | undefined {
  const m = /([A-Za-z_$][\w$]*)(?:\.service)?\s*$/.exec(text.trim());
  if (!m) return undefined;
  return m[1]!.replace(/ServiceService$/, 'Service');
}

interface Entry {
  key: string;
  /** the handler expression; undefined for a method written inline (`charge(call, cb) { … }`) */
  value?: Arg;
  at: number;
}

/** The entries of the implementation object: written inline, or a `const` object of this file. */
function handlers(src: Source, implementation: Arg): Entry[] {
  let obj: Arg | undefined = implementation.text.startsWith('{') ? implementation : undefined;
  if (!obj && /^[A-Za-z_$][\w$]*$/.test(implementation.text)) {
    const decl = new RegExp(`\\b(?:const|let|var)\\s+${implementation.text.replace(/\$/g, '\\$')}\\s*(?::[^=]+)?=\\s*\\{`).exec(
      src.code,
    );
    if (decl) {
      const open = decl.index + decl[0].length - 1;
      const close = src.close(open);
      if (close > 0) obj = { start: open, end: close + 1, text: src.code.slice(open, close + 1) };
    }
  }
  if (!obj) return [];
  const out: Entry[] = [];
  for (const a of src.entries(obj).args) {
    const kv = /^(?:async\s+)?['"]?([A-Za-z_$][\w$]*)['"]?\s*(:|\(|$)/.exec(a.text);
    if (!kv) continue;
    if (kv[2] === ':') {
      const offset = a.text.indexOf(':') + 1;
      const rest = a.text.slice(offset);
      const start = a.start + offset + (rest.length - rest.trimStart().length);
      out.push({ key: kv[1]!, value: { start, end: a.end, text: rest.trim() }, at: a.start });
    } else if (kv[2] === '') {
      // shorthand `{ charge }`: the function of that name
      out.push({ key: kv[1]!, value: a, at: a.start });
    } else {
      out.push({ key: kv[1]!, at: a.start });
    }
  }
  return out;
}
