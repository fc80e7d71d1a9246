/** Shared pieces of the scanners: recording a route, joining path prefixes, naming and placing a handler. */
import { normalizeRoute } from './normalizeRoute';
import type { HandlerRef, RouteDefinition, RouteMount } from './routeTypes';
import type { Arg, Source } from './sourceScan';

export function emit(out: RouteDefinition[], file: string, d: Omit<RouteDefinition, 'file' | 'route'> & { route: string }): void {
  const def: RouteDefinition = { route: normalizeRoute(d.route), file, line: d.line, framework: d.framework };
  if (d.method !== undefined) def.method = d.method.toUpperCase();
  if (d.handler !== undefined) def.handler = d.handler;
  if (d.partial) def.partial = true;
  if (d.target) def.target = d.target;
  if (d.handlerRef) def.handlerRef = d.handlerRef;
  if (d.mountKey !== undefined) def.mountKey = d.mountKey;
  out.push(def);
}

export function emitMount(mounts: RouteMount[], d: Omit<RouteMount, 'prefix'> & { prefix: string }): void {
  const m: RouteMount = { key: d.key, prefix: normalizeRoute(d.prefix), file: d.file, line: d.line };
  if (d.parentKey !== undefined) m.parentKey = d.parentKey;
  if (d.partial) m.partial = true;
  mounts.push(m);
}

export function joinPaths(...parts: string[]): string {
  return parts.filter((p) => p !== '' && p !== '/').join('/');
}

/** A handler argument that names a function (`show`, `orders.show`, `h.GetOrder`), unwrapped from `http.HandlerFunc(…)`. */
export function handlerName(arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  const t = arg.text.replace(/^(?:http\.HandlerFunc|http\.Handler)\((.*)\)$/s, '$1').trim();
  return /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(t) ? t : undefined;
}

/**
 * Where a route's handler is: its definition line when it is in this file; else the registration's line, with
 * a reference to look the named handler up in the workspace by (an inline handler has neither name nor reference).
 */
export function handlerPlace(
  src: Source,
  handler: string | undefined,
  registration: number,
): { line: number; handlerRef?: HandlerRef } {
  if (handler === undefined) return { line: registration };
  const dot = handler.lastIndexOf('.');
  const name = handler.slice(dot + 1);
  const line = src.definitionLine(name);
  if (line !== undefined) return { line };
  const owner = dot < 0 ? undefined : handler.slice(handler.lastIndexOf('.', dot - 1) + 1, dot);
  return { line: registration, handlerRef: owner ? { name, owner } : { name } };
}
