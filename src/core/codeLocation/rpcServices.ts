/**
 * Which RPC services a file implements, as its code says: the generated server base it extends or the
 * registration it calls (`pb.RegisterCartServiceServer`, `CartServiceGrpc.CartServiceImplBase`,
 * `Cart.CartBase`, `add_CartServicer_to_server`, `impl Cart for …` under tonic, `Shop::Cart::Service`,
 * `use GRPC.Server, service: Shop.Cart.Service`). Names come back squashed (`cartservice`).
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

export function extractRpcServices(text: string, lang: SourceLanguage): string[] {
  const out = new Set<string>();
  for (const { anchor, re, same } of BY_LANGUAGE[lang]) {
    if (!text.includes(anchor)) continue;
    for (const m of text.matchAll(re)) if (!same || m[1] === m[2]) out.add(m[1]!.toLowerCase().replace(/[^a-z0-9]/g, ''));
  }
  out.delete('');
  return [...out].slice(0, 32);
}
