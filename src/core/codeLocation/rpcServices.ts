/**
 * Which RPC services a file implements, as its code says: the generated server base it extends or the
 * registration it calls (`pb.RegisterCartServiceServer`, `CartServiceGrpc.CartServiceImplBase`,
 * `Cart.CartBase`, `add_CartServicer_to_server`, `impl Cart for …` under tonic, `Shop::Cart::Service`,
 * `use GRPC.Server, service: Shop.Cart.Service`). Names come back squashed (`cartservice`).
 */
import type { SourceLanguage } from './definitions';

const MARKERS: readonly RegExp[] = [
  /\bRegister(\w+?)Server\s*\(/g, // Go
  /\bUnimplemented(\w+?)Server\b/g, // Go
  /\b(\w+)Grpc(?:Kt)?\s*\.\s*\1(?:Coroutine)?ImplBase\b/g, // Java, Kotlin
  /\b(\w+)\s*\.\s*\1Base\b/g, // C#
  /\badd_(\w+?)Servicer_to_server\b/g, // Python
  /\b_pb2_grpc\s*\.\s*(\w+?)Servicer\b/g, // Python
  /\b(\w+)::Service\b/g, // Ruby, C++
  /#\[tonic::async_trait\]\s*impl\s+(?:[\w:]+::)?(\w+)\s+for\b/g, // Rust
  /\b(\w+)Server::new\s*\(/g, // Rust
  /\buse\s+GRPC\.Server\s*,\s*service:\s*(?:[\w.]+\.)?(\w+)\.Service\b/g, // Elixir
];

/** A cheap test first: most files implement no service. */
const HINT = /Server|ImplBase|Base\b|Servicer|::Service|GRPC|tonic/;

export function extractRpcServices(text: string, _lang: SourceLanguage): string[] {
  if (!HINT.test(text)) return [];
  const out = new Set<string>();
  for (const re of MARKERS) for (const m of text.matchAll(re)) out.add(m[1]!.toLowerCase().replace(/[^a-z0-9]/g, ''));
  out.delete('');
  return [...out].slice(0, 32);
}
