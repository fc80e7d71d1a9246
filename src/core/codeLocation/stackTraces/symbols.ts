/**
 * A frame's function as the parts of its qualified name, outermost first, in the shape definitions are
 * indexed in (see definitions): `com.shop.Cart$Item.add` → [com, shop, Cart, Item, add],
 * `<shop::Cart as Store>::add::{{closure}}` → [shop, Cart, add], `Shop.Cart.add/2` → [Shop, Cart, add].
 * Parts the source never names (closures, lambdas, state machines, generic arguments) are dropped.
 */
import type { StackLanguage } from './frames';

const MAX_SYMBOL = 1024;

export function symbolParts(fn: string, language: StackLanguage | undefined): string[] {
  if (fn.length > MAX_SYMBOL) return [];
  switch (language) {
    case 'rust':
    case 'cpp':
      return pathParts(fn);
    case 'elixir':
      return elixirParts(fn);
    default:
      return genericParts(fn, language);
  }
}

/** Rust and C++ `::` paths, with `<T as Trait>::` qualified self types and generic arguments. */
function pathParts(fn: string): string[] {
  let s = fn
    .replace(/::h[0-9a-f]{16}$/, '')
    .replace(/::\{\{?(?:closure|constant|constructor)(?:#\d+)?\}\}?|::\{(?:shim|lambda)[^{}]*\}(?:#\d+)?/g, '')
    .replace(/\{lambda\([^)]*\)#\d+\}/g, '')
    .trim();
  // <Self as Trait>::method → Self::method; <Self>::method → Self::method
  if (s.startsWith('<')) {
    const close = matching(s, 0);
    if (close < 0) return [];
    const inner = s.slice(1, close);
    const as = topLevelIndex(inner, ' as ');
    s = (as >= 0 ? inner.slice(0, as) : inner) + s.slice(close + 1);
  }
  s = stripGenerics(s).replace(/^(?:&(?:mut\s+)?|\*(?:const|mut)\s+|dyn\s+)/, '');
  return s.split('::').filter((p) => p !== '' && p !== '(anonymous namespace)' && /^~?[A-Za-z_]\w*$/.test(p));
}

/** `Shop.Cart.add/2`, `anonymous fn/1 in Shop.Cart.add/2`, `shop_cart:add/2` */
function elixirParts(fn: string): string[] {
  const s = fn.replace(/^anonymous fn\/\d+ in /, '').replace(/\/\d+$/, '');
  const colon = s.indexOf(':');
  if (colon > 0 && !s.includes('.')) return [s.slice(0, colon), s.slice(colon + 1)];
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return [s];
  return [...s.slice(0, dot).replace(/^:/, '').split('.'), s.slice(dot + 1).replace(/^"|"$/g, '')];
}

/** Dots, `$`, `+`, `#`, `::`, `->` and PHP backslashes; Java lambdas and .NET compiler-made names resolved. */
function genericParts(fn: string, language: StackLanguage | undefined): string[] {
  let s = fn
    .trim()
    .replace(/^(?:async|new|static)\s+/, '')
    .replace(/^block (?:\(\d+ levels\) )?in /, '');
  s = s.replace(/ \[as [^\]]+\]$/, '').replace(/\.<anonymous>$/, '');
  s = s.replace(/<>c(?:__DisplayClass\w*)?\./g, ''); // .NET closure classes
  s = s.replace(/lambda\$(\w+)\$\d+/g, '$1'); // Java lambdas
  s = s.replace(/<(\w+)>[a-z]__\w*/g, '$1').replace(/\.MoveNext$/, ''); // .NET async and iterator state machines
  s = s.replace(/\(\*?(\w+)(?:\[[^\]]*\])?\)/g, '$1'); // Go (*T)
  s = s.replace(/`\d+/g, '');
  s = stripGenerics(s);
  const parts = s.split(/::|->|[.#\\/+$:]/).filter((p) => p !== '');
  while (parts.length > 1 && /^(?:func\d+|gowrap\d+|\d+)$/.test(parts[parts.length - 1]!)) parts.pop();
  // V8 names the receiver of module-level and object-literal functions `Object`
  if (language === 'node' && parts[0] === 'Object') parts.shift();
  return parts.filter((p) => /^[A-Za-z_][\w!?]*$/.test(p) && !/^[A-Z]\w*Kt$/.test(p));
}

function stripGenerics(s: string): string {
  let out = s;
  for (let k = 0; k < 6 && /<[^<>]*>/.test(out); k++) out = out.replace(/<[^<>]*>/g, '');
  return out;
}

/** The index of the `>` that closes the `<` at `open`, or −1. */
function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '<') depth++;
    else if (c === '>' && s[i - 1] !== '-' && --depth === 0) return i;
  }
  return -1;
}

function topLevelIndex(s: string, needle: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (depth === 0 && s.startsWith(needle, i)) return i;
  }
  return -1;
}
