/** Shared pieces of the scanners: recording a route, joining path prefixes, naming and placing a handler. */
import { normalizeRoute } from './normalizeRoute';
import type { RouteDefinition } from './routeTypes';
import type { Arg, Source } from './sourceScan';

export function emit(out: RouteDefinition[], file: string, d: Omit<RouteDefinition, 'file' | 'route'> & { route: string }): void {
  const def: RouteDefinition = { route: normalizeRoute(d.route), file, line: d.line, framework: d.framework };
  if (d.method !== undefined) def.method = d.method.toUpperCase();
  if (d.handler !== undefined) def.handler = d.handler;
  if (d.partial) def.partial = true;
  if (d.target) def.target = d.target;
  out.push(def);
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

/** The handler's definition line when it is in this file, else the registration's. */
export function handlerLine(src: Source, handler: string | undefined, registration: number): number {
  if (handler === undefined) return registration;
  const last = handler.slice(handler.lastIndexOf('.') + 1);
  return src.definitionLine(last) ?? registration;
}
