/** Helpers of the route tests: snippets from lines, and registrations in a form a failing diff shows plainly. */
import { extractRoutes, type RouteDefinition, type RouteMount } from '../../../../src/core/codeLocation/routes';

/** Text from lines; line numbers in assertions are 1-based lines of this array. */
export const src = (...lines: string[]): string => lines.join('\n') + '\n';

/** `METHOD route → line handler`, or `* route` for any method, sorted. */
export function summary(defs: readonly RouteDefinition[]): string[] {
  return defs
    .map((d) => `${d.method ?? '*'} ${d.route} → ${d.line}${d.handler ? ` ${d.handler}` : ''}${d.partial ? ' (partial)' : ''}`)
    .sort();
}

/** The routes of one file, summarised. */
export function routesOf(file: string, text: string): string[] {
  return summary(extractRoutes(file, text));
}

/** The mounts one file declares: `key ← prefix (parent)`. */
export function mountsOf(file: string, text: string): string[] {
  const mounts: RouteMount[] = [];
  extractRoutes(file, text, mounts);
  return mounts.map((m) => `${m.key} ← ${m.prefix}${m.parentKey ? ` (in ${m.parentKey})` : ''}:${m.line}`).sort();
}
