/**
 * Which RPC services a file implements, as its code says: the generated server base it extends or the
 * registration it calls (`pb.RegisterCartServiceServer`, `CartServiceGrpc.CartServiceImplBase`,
 * `Cart.CartBase`, `add_CartServicer_to_server`, `impl Cart for …` under tonic, `Shop::Cart::Service`,
 * `use GRPC.Server, service: Shop.Cart.Service`). Names come back squashed (`cartservice`).
 *
 * Two more kinds of entry, prefixed: `pkg:<proto package>` for a Go file whose methods have the shape of a gRPC
 * server's (`(ctx context.Context, req *shop.GetCartRequest) (*shop.Cart, error)`, or a stream of the package's), and
 * `client:<service>` for a file that holds a client of the service (`shop.CartServiceClient`,
 * `CartServiceGrpc.newBlockingStub`, `new Cart.CartClient(`, `CartStub(`): its methods of the same names call the
 * service rather than implement it.
 */
import type { SourceLanguage } from './definitions';

interface Marker {
  /** text the marker cannot match without: most files are passed over by `includes` alone */
  anchor: string;
  re: RegExp;
  /** groups 1 and 2 must name the same service (`CartGrpc.CartImplBase`) */
  same?: true;
}

const GO: readonly Marker[] = [
  { anchor: 'Register', re: /\bRegister(\w+?)Server\s*\(/g },
  { anchor: 'Unimplemented', re: /\bUnimplemented(\w+?)Server\b/g },
];
const JVM: readonly Marker[] = [
  { anchor: 'ImplBase', re: /\b(\w+)Grpc(?:Kt)?\s*\.\s*(\w+?)(?:Coroutine)?ImplBase\b/g, same: true },
];
const CSHARP: readonly Marker[] = [{ anchor: 'Base', re: /\b(\w+)\s*\.\s*(\w+)Base\b/g, same: true }];
const PYTHON: readonly Marker[] = [
  { anchor: 'Servicer_to_server', re: /\badd_(\w+?)Servicer_to_server\b/g },
  { anchor: '_pb2_grpc', re: /\b_pb2_grpc\s*\.\s*(\w+?)Servicer\b/g },
];
const SERVICE_CONST: readonly Marker[] = [{ anchor: '::Service', re: /\b(\w+)::Service\b/g }];
const RUST: readonly Marker[] = [
  { anchor: 'tonic::async_trait', re: /#\[tonic::async_trait\]\s*impl\s+(?:[\w:]+::)?(\w+)\s+for\b/g },
  { anchor: 'Server::new', re: /\b(\w+)Server::new\s*\(/g },
];
const ELIXIR: readonly Marker[] = [
  { anchor: 'GRPC.Server', re: /\buse\s+GRPC\.Server\s*,\s*service:\s*(?:[\w.]+\.)?(\w+)\.Service\b/g },
];

const BY_LANGUAGE: Readonly<Record<SourceLanguage, readonly Marker[]>> = {
  go: GO,
  java: JVM,
  kotlin: JVM,
  csharp: CSHARP,
  python: PYTHON,
  ruby: SERVICE_CONST,
  cpp: SERVICE_CONST,
  rust: RUST,
  elixir: ELIXIR,
  javascript: [],
  typescript: [],
  php: [],
};

/** Go methods shaped like a gRPC server's: unary `(ctx context.Context, req *pkg.Msg) (*pkg.Msg, error)`, or streaming. */
const GO_SERVER_METHODS: readonly RegExp[] = [
  /^func\s*\([^)]*\)\s*\w+\s*\(\s*\w+\s+context\.Context\s*,\s*\w+\s+\*(\w+)\.\w+\s*\)\s*\(\s*\*?[\w.]+\s*,\s*error\s*\)/gm,
  /^func\s*\([^)]*\)\s*\w+\s*\((?:\s*\w+\s+\*\w+\.\w+\s*,)?\s*\w+\s+(\w+)\.\w+_\w+Server\s*\)\s*error\b/gm,
];

/** Clients of a service, by language: the squashed service name is group 1. */
const CLIENTS: Partial<Record<SourceLanguage, readonly Marker[]>> = {
  go: [
    { anchor: 'Client', re: /\b\w+\.(\w+?)Client\b/g },
    { anchor: 'Client', re: /\bNew(\w+?)Client\s*\(/g },
  ],
  java: [{ anchor: 'Stub', re: /\b(\w+)Grpc(?:Kt)?\s*\.\s*new(?:Blocking|Future)?(?:Coroutine)?Stub\s*\(/g }],
  kotlin: [{ anchor: 'Stub', re: /\b(\w+)Grpc(?:Kt)?\s*\.\s*(?:new(?:Blocking|Future)?Stub|\w+CoroutineStub)\b/g }],
  csharp: [{ anchor: 'Client', re: /\b(\w+)\s*\.\s*(\w+)Client\b/g, same: true }],
  python: [{ anchor: 'Stub', re: /\b_pb2_grpc\s*\.\s*(\w+?)Stub\s*\(/g }],
};

export function extractRpcServices(text: string, lang: SourceLanguage): string[] {
  const out = new Set<string>();
  const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const { anchor, re, same } of BY_LANGUAGE[lang]) {
    if (!text.includes(anchor)) continue;
    for (const m of text.matchAll(re)) if (!same || m[1] === m[2]) out.add(squash(m[1]!));
  }
  if (lang === 'go' && text.includes('func')) {
    for (const re of GO_SERVER_METHODS) for (const m of text.matchAll(re)) out.add(`pkg:${m[1]!.toLowerCase()}`);
  }
  for (const { anchor, re, same } of CLIENTS[lang] ?? []) {
    if (!text.includes(anchor)) continue;
    for (const m of text.matchAll(re)) if (!same || m[1] === m[2]) out.add(`client:${squash(m[1]!)}`);
  }
  out.delete('');
  out.delete('client:');
  return [...out].slice(0, 48);
}
