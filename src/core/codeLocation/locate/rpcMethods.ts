/**
 * RPC spans (gRPC and the like): `rpc.service` + `rpc.method`, or a `pkg.Service/Method` span name or route,
 * mapped to the method that implements the service in the workspace — in each language's own spelling of the
 * method (`GetFeature`, `getFeature`, `get_feature`), on a type named for the service, never in generated stubs.
 */
import { stringAttribute } from '../../model/attributes';
import type { Span } from '../../model/types';
import type { CodeMatch } from '../evidence';
import { squash } from '../spelling';
import type { DefinitionHit, WorkspaceIndex } from '../workspaceIndex';
import type { Disambiguator } from './disambiguator';
import { resolveHandler } from './routeHandlers';
import { listFiles, MAX_NAME, PICKED, placeCount, round, TRUST, type EvidenceStep } from './types';

/** `shop.Inventory/Reserve`, `/billing.Ledger/Post`: a package-qualified service and a method. */
const RPC_PATH = /^\/?((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*)\/([A-Za-z_]\w*)$/;

interface RpcName {
  service: string;
  method: string;
  evidence: string;
}

/** The RPC a span is for, when it says; spans of other kinds give undefined. */
export function rpcName(span: Span): RpcName | undefined {
  const attrs = span.attributes;
  const system = stringAttribute(attrs, 'rpc.system');
  // cloud SDK calls (`aws-api`, …) name the provider's API, never the workspace's code
  if (system !== undefined && !RPC_SYSTEMS.has(system.toLowerCase())) return undefined;
  const service = stringAttribute(attrs, 'rpc.service')?.trim();
  const method = stringAttribute(attrs, 'rpc.method')?.trim();
  if (service && method) return { service, method, evidence: `rpc.service ${service}, rpc.method ${method}` };
  if (system === undefined && span.kind !== 'server' && span.kind !== 'client') return undefined;
  const route = stringAttribute(attrs, 'http.route');
  for (const [text, label] of [
    [span.name, 'span name'],
    [route, 'http.route'],
  ] as const) {
    const m = text !== undefined ? RPC_PATH.exec(text.trim()) : null;
    // a bare `Service/Method` is an RPC only when the span says so
    if (m && (m[1]!.includes('.') || system !== undefined))
      return { service: m[1]!, method: m[2]!, evidence: `${label} "${text}"` };
  }
  return undefined;
}

export function byRpc(span: Span, ctx: Disambiguator, index: WorkspaceIndex, out: CodeMatch[], steps: EvidenceStep[]): boolean {
  const rpc = rpcName(span);
  if (!rpc || rpc.service.length + rpc.method.length > MAX_NAME) return false;
  const step = (outcome: EvidenceStep['outcome'], detail: string): void => {
    steps.push({ kind: 'rpc method', evidence: rpc.evidence, outcome, detail });
  };
  const short = rpc.service.slice(rpc.service.lastIndexOf('.') + 1);
  const spellings = new Set([rpc.method, lowerFirst(rpc.method), snakeCase(rpc.method)]);
  const all = [...spellings].flatMap((n) => index.definitions(n)).filter((h) => h.kind !== 'type');
  const own = all.filter((h) => !index.isGenerated(h.file));
  // handlers registered for the service by name (grpc-js `addService`), where no class implements it
  const registered: Place[] = [...spellings]
    .flatMap((n) => index.routes(undefined, `/${short}/${n}`))
    .filter((d) => d.framework === 'grpc')
    .map((d) => {
      const h = resolveHandler(d, index);
      return { file: h?.file ?? d.file, line: h?.line ?? d.line, owner: undefined, rel: 3, name: d.handler ?? rpc.method };
    });
  const scored: Place[] = [
    ...registered,
    ...own.map((hit) => ({
      file: hit.file,
      line: hit.line,
      owner: hit.qualifier.at(-1),
      rel: relation(hit, rpc.service, index.rpcServicesOf(hit.file)),
      name: hit.name,
    })),
  ].filter((p) => p.rel >= (LIBRARY_SERVICE.test(rpc.service) ? 3 : 2));
  if (scored.length === 0) {
    const why =
      own.length > 0
        ? `${placeCount(own)} definition(s) of ${rpc.method}, none on a type or in a file named for ${short}: ${listFiles(own)}`
        : all.length > 0
          ? `only generated code defines ${rpc.method}: ${listFiles(all)}`
          : `no method ${rpc.method} is defined in the workspace`;
    step('not found', why);
    return true;
  }
  // a client span was made by the caller: the implementation is the server's, whatever the caller's language
  const judge = span.kind === 'client' ? ctx.forPeer(peerService(span)) : ctx;
  const r = judge.pick(scored, (p) => p.file, undefined);
  if (r.chosen.length === 0) {
    step('not found', `${short}.${rpc.method} is implemented in ${listFiles(scored)}${r.why}`);
    return true;
  }
  const top = r.chosen.reduce((m, p) => Math.max(m, p.rel), 0);
  const best = r.chosen.filter((p) => p.rel === top);
  if (placeCount(best) > 1) {
    step('ambiguous', `${placeCount(best)} implementations of ${short}.${rpc.method}: ${listFiles(best)}${r.why}`);
    return true;
  }
  const h = best[0]!;
  let trust: number = TRUST.rpcImplementation;
  if (placeCount(scored) > 1) trust *= PICKED;
  const reason = `${rpc.evidence} is implemented by ${h.owner !== undefined ? `${h.owner}.` : ''}${h.name} at ${h.file}:${h.line}${r.why}`;
  out.push({ file: h.file, line: h.line, function: `${short}/${rpc.method}`, confidence: round(trust), reason });
  step('mapped', reason);
  return true;
}

/** RPC systems whose services the workspace implements. */
const RPC_SYSTEMS: ReadonlySet<string> = new Set([
  'grpc',
  'connect_rpc',
  'apache_dubbo',
  'dotnet_wcf',
  'java_rmi',
  'twirp',
  'thrift',
]);

/** Services libraries implement (health checks, reflection, OTLP, Google APIs): a type must be named for one to count. */
const LIBRARY_SERVICE = /^(?:grpc\.|opentelemetry\.proto\.|google\.)/;

interface Place {
  file: string;
  line: number;
  /** the type that implements the method */
  owner: string | undefined;
  /** the function as defined or registered */
  name: string;
  /** how plainly the place belongs to the service (see relation) */
  rel: number;
}

/** The service a client span calls: `peer.service`, else the host it called (`cart`, `cart.shop.svc.cluster.local:9555`). */
function peerService(span: Span): string {
  const peer =
    stringAttribute(span.attributes, 'peer.service') ??
    stringAttribute(span.attributes, 'server.address') ??
    stringAttribute(span.attributes, 'net.peer.name');
  const host = peer?.trim().replace(/:\d+$/, '') ?? '';
  return /^[\d.]+$|^\[?[0-9a-f:]+\]?$/i.test(host) || host === 'localhost' ? '' : host.split('.')[0]!;
}

/** Words that name the role of a type or file rather than the service: `CartService`, `CartServiceImpl`, `cart_server`. */
const ROLE_SUFFIX = /(?:service|servicer|server|impl|implementation|handler|grpc|rpc|api)+$/;

/**
 * 3: on a type named for the service; 2: in a file that says it implements the service (the generated base it
 * extends, the registration it calls, Go methods shaped like a server's of the service's proto package); 0:
 * neither, or client code (a file holding a client of the service and implementing none of it).
 */
function relation(hit: DefinitionHit, qualifiedService: string, marks: readonly string[]): number {
  const dot = qualifiedService.lastIndexOf('.');
  const svc = squash(qualifiedService.slice(dot + 1));
  const protoPackage = dot > 0 ? qualifiedService.slice(qualifiedService.lastIndexOf('.', dot - 1) + 1, dot).toLowerCase() : '';
  const stem = svc.replace(ROLE_SUFFIX, '') || svc;
  const owner = squash(hit.qualifier[hit.qualifier.length - 1] ?? '');
  const base = hit.file.slice(hit.file.lastIndexOf('/') + 1);
  if (/client|stub|gateway|proxy/.test(owner) || /client/i.test(base)) return 0;
  const names = (n: string): boolean =>
    n !== '' && (n === svc || n === stem || n.replace(ROLE_SUFFIX, '') === stem || (stem.length >= 4 && n.includes(stem)));
  const implemented = marks.filter((m) => !m.includes(':'));
  if (marks.some((m) => m.startsWith('client:') && names(m.slice(7))) && !implemented.some(names)) return 0;
  if (names(owner)) return 3;
  if (implemented.some(names)) return 2;
  return protoPackage !== '' && marks.includes(`pkg:${protoPackage}`) ? 2 : 0;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `GetFeature` → `get_feature`, `HTTPStatus` → `http_status` */
function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
