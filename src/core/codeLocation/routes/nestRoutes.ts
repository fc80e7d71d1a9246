/** Nest: `@Controller` prefixes and method decorators. */
import { emit, joinPaths } from './emit';
import { memberAfter } from './memberAfter';
import type { RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

export function nestRoutes(src: Source, out: RouteDefinition[]): void {
  const controllers: { at: number; prefixes: string[]; name: string }[] = [];
  for (const m of src.code.matchAll(/@Controller\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const first = call.args[0];
    let prefixes = [''];
    if (first?.text.startsWith('{')) {
      const path = /\bpath\s*:\s*/.exec(first.text);
      if (path) prefixes = src.strings(first.start + path.index + path[0].length, first.end);
    } else if (first) {
      prefixes = src.strings(first.start, first.end);
    }
    const cls = /\bclass\s+(\w+)/.exec(src.code.slice(call.end));
    controllers.push({ at: m.index, prefixes, name: cls?.[1] ?? 'Controller' });
  }
  if (controllers.length === 0) return;
  const decorator = /@(Get|Post|Put|Delete|Patch|Options|Head|All)\s*\(/g;
  for (const m of src.code.matchAll(decorator)) {
    const controller = controllers.filter((c) => c.at < m.index).pop();
    const call = src.call(m.index + m[0].length - 1);
    if (!controller || !call) continue;
    const first = call.args[0];
    const paths = first ? src.strings(first.start, first.end) : [''];
    const member = memberAfter(src, call.end);
    if (!member) continue;
    const method = m[1] === 'All' ? undefined : m[1]!.toUpperCase();
    for (const prefix of controller.prefixes) {
      for (const path of paths) {
        emit(out, src.file, {
          method,
          route: joinPaths(prefix, path),
          line: src.line(member.at),
          handler: `${controller.name}.${member.name}`,
          framework: 'nest',
          // app.setGlobalPrefix and RouterModule add prefixes elsewhere
          partial: true,
        });
      }
    }
  }
}
