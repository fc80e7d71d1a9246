/**
 * Elixir: modules (`defmodule` nesting prefixes inner modules with the outer name), protocols and
 * implementations, and `def`/`defp`/`defmacro`/`defguard`/`defdelegate` with their arity. Read by indentation,
 * as `mix format` lays code out.
 */
import type { IndentResult, LineDef } from './types';

const MODULE = /^(defmodule|defprotocol)\s+((?:__MODULE__\.)?[A-Z][\w]*(?:\.[A-Z][\w]*)*)\s*(?:,|do\b)/;
const IMPL = /^defimpl\s+([A-Z][\w.]*)\s*,\s*for:\s*([A-Z][\w.]*)/;
const FUNCTION =
  /^(?:def|defp|defmacro|defmacrop|defguard|defguardp|defdelegate|defn|defnp)\s+([a-z_][\w]*[!?]?)\s*(\(|,|do\b|when\b|$)/;
const NOT_A_NAME: ReadonlySet<string> = new Set(['unquote', 'when']);

export function elixirLine(t: string): IndentResult {
  const m = MODULE.exec(t);
  if (m) {
    // `defmodule __MODULE__.Sub` nests like `defmodule Sub`
    const parts = m[2]!.replace(/^__MODULE__\./, '').split('.');
    const def: LineDef = { name: parts.pop()!, kind: 'type' };
    if (parts.length > 0) def.owner = parts.join('.');
    return { def, open: { name: [...parts, def.name].join('.'), kind: 'type' } };
  }
  const impl = IMPL.exec(t);
  if (impl) {
    const name = `${impl[1]}.${impl[2]}`;
    return { open: { name, kind: 'type' } };
  }
  const f = FUNCTION.exec(t);
  if (f && !NOT_A_NAME.has(f[1]!)) {
    const def: LineDef = { name: f[1]!, kind: 'function', arity: f[2] === '(' ? arity(t, f.index + f[0].length) : 0 };
    return { def, open: { kind: 'function' } };
  }
  return undefined;
}

/** Parameters in the list opening before `from`: commas outside brackets, plus one. */
function arity(t: string, from: number): number {
  let depth = 0;
  let commas = 0;
  let any = false;
  for (let i = from; i < t.length; i++) {
    const c = t[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) commas++;
    else if (c === '<' && t[i + 1] === '<') depth++;
    else if (c === '>' && t[i + 1] === '>') depth--;
    if (!/\s/.test(c)) any = true;
  }
  return any ? commas + 1 : 0;
}
