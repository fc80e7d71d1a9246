/**
 * A document's symbols (what a language provider reports), flattened and indexed by name, so that placing a
 * lens is a map lookup. Built once per document version, outside the CodeLens provider. Lines are 1-based.
 */
import { functionQualifiers, shortFunctionName } from './codeKey';

export interface SymbolInfo {
  name: string;
  /** enclosing symbols' names, innermost first */
  containers: readonly string[];
  /** 1-based line where the declaration starts (the lens goes above it) */
  startLine: number;
  /** 1-based, inclusive */
  endLine: number;
  /** a function, method or constructor: the kinds a span can be started in */
  callable: boolean;
}

/** The shape of a document symbol tree, as a provider reports it; lines 1-based. */
export interface SymbolNode {
  name: string;
  startLine: number;
  endLine: number;
  callable: boolean;
  children?: readonly SymbolNode[];
}

export class FileSymbols {
  private readonly byName = new Map<string, SymbolInfo[]>();

  constructor(readonly symbols: readonly SymbolInfo[]) {
    for (const s of symbols) {
      const name = shortFunctionName(s.name);
      const list = this.byName.get(name);
      if (list) list.push(s);
      else this.byName.set(name, [s]);
    }
  }

  static fromTree(roots: readonly SymbolNode[]): FileSymbols {
    const out: SymbolInfo[] = [];
    const walk = (nodes: readonly SymbolNode[], containers: readonly string[]): void => {
      for (const n of nodes) {
        out.push({ name: n.name, containers, startLine: n.startLine, endLine: n.endLine, callable: n.callable });
        if (n.children && n.children.length > 0) walk(n.children, [shortFunctionName(n.name), ...containers]);
      }
    };
    walk(roots, []);
    return new FileSymbols(out);
  }

  /**
   * The symbol that declares `fn` (qualified or not). Among several of that name: the one containing `line`
   * (where spans were started), else the one whose containers best match the qualifiers (`Cart` in `Cart.add`),
   * else the first callable one.
   */
  find(fn: string, line?: number): SymbolInfo | undefined {
    const candidates = this.byName.get(shortFunctionName(fn));
    if (!candidates) return undefined;
    if (candidates.length === 1) return candidates[0];
    if (line !== undefined) {
      let inner: SymbolInfo | undefined;
      for (const s of candidates) {
        if (s.startLine <= line && line <= s.endLine && (!inner || s.startLine >= inner.startLine)) inner = s;
      }
      if (inner) return inner;
    }
    const qualifiers = functionQualifiers(fn);
    let best: SymbolInfo | undefined;
    let bestScore = -1;
    for (const s of candidates) {
      let score = s.callable ? 0.5 : 0;
      for (let i = 0; i < qualifiers.length && i < s.containers.length; i++) {
        if (shortFunctionName(s.containers[i]!) !== qualifiers[i]) break;
        score++;
      }
      if (score > bestScore) [best, bestScore] = [s, score];
    }
    return best;
  }

  /** The innermost callable symbol containing `line`. */
  enclosing(line: number): SymbolInfo | undefined {
    let inner: SymbolInfo | undefined;
    for (const s of this.symbols) {
      if (s.callable && s.startLine <= line && line <= s.endLine && (!inner || s.startLine >= inner.startLine)) inner = s;
    }
    return inner;
  }
}
