/** A qualified function name, as each runtime writes one, split into its parts. */

/** `com.shop.Cart$Item.add(int)`, `pkg.(*T).M.func1`, `Ns.C.<AddAsync>d__4.MoveNext`, `Shop::Cart#add` → parts. */
export function functionNameParts(raw: string): string[] {
  let parts = partsCache.get(raw);
  if (parts === undefined) {
    // spans repeat their function names: each is read once (the cache starts over when full)
    if (partsCache.size >= MAX_CACHED) partsCache.clear();
    parts = Object.freeze(readParts(raw)) as string[];
    partsCache.set(raw, parts);
  }
  return [...parts];
}

const MAX_CACHED = 10_000;
const partsCache = new Map<string, readonly string[]>();

function readParts(raw: string): string[] {
  let s = raw.trim().replace(/^(?:async|new|static)\s+/, '');
  s = s.replace(/<([\w:]+) as [^>]*>/g, '$1'); // Rust <Type as Trait>::method
  s = s.replace(/<(\w+)>[a-z]__\w*/g, '$1'); // .NET async/iterator state machines and lambdas
  s = s.replace(/\.MoveNext$/, '');
  s = s.replace(/lambda\$(\w+)\$\d+/g, '$1'); // Java lambdas
  s = s.replace(/\(\*?(\w+)(?:\[[^\]]*\])?\)/g, '$1'); // Go (*T)
  s = s.replace(/\([^()]*\)\s*$/, ''); // arguments
  s = s.replace(/`\d+/g, ''); // .NET generic arity
  for (let k = 0; k < 4 && /<[^<>]*>/.test(s); k++) s = s.replace(/<[^<>]*>/g, ''); // generics, <lambda>, <locals>
  s = s.replace(/\[[^\]]*\]/g, '');
  s = s.replace(/::h[0-9a-f]{16}$/, '').replace(/::\{\{closure\}\}/g, '');
  const parts = s.split(/::|->|[.#\\/+:$]/).filter((p) => p !== '');
  while (parts.length > 1 && /^(?:func\d+|gowrap\d+|\d+)$/.test(parts[parts.length - 1]!)) parts.pop();
  // Kotlin top-level functions live in a `FileKt` class the source never names
  return parts.filter((p, i) => !(i < parts.length - 1 && /^[A-Z]\w*Kt$/.test(p)));
}
