/** The qualifier a file's path gives its definitions in languages whose module names follow paths. */
import type { SourceLanguage } from './types';

/**
 * The runtime qualifier a file's path gives its definitions: Python and JS/TS module paths
 * (`src/orders/service.py` → src.orders.service), Go package directories, Rust crate and module path
 * (`cart-rs/src/api/mod.rs` → cart_rs.api). Empty where the source declares it (package, namespace).
 */
export function filePrefix(file: string, lang: SourceLanguage): string[] {
  const segments = file.split('/');
  const base = segments.pop()!;
  const stem = base.slice(0, base.lastIndexOf('.'));
  switch (lang) {
    case 'python':
      return splitDots(stem === '__init__' ? segments : [...segments, stem]);
    case 'javascript':
    case 'typescript':
      return splitDots(stem === 'index' ? segments : [...segments, stem]);
    case 'go':
      return splitDots(segments);
    case 'rust': {
      const src = segments.lastIndexOf('src');
      if (src < 0) return splitDots(/^(?:lib|main|mod)$/.test(stem) ? segments : [...segments, stem]);
      const crate = src > 0 ? [segments[src - 1]!.replace(/-/g, '_')] : [];
      const mods = segments.slice(src + 1);
      if (!/^(?:lib|main|mod)$/.test(stem)) mods.push(stem);
      return splitDots([...crate, ...mods]);
    }
    default:
      return [];
  }
}

function splitDots(segments: readonly string[]): string[] {
  return segments.flatMap((s) => s.split('.')).filter((s) => s !== '');
}
