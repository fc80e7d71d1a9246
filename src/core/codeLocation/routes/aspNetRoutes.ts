/** ASP.NET Core: attribute-routed controllers and minimal APIs (`MapGet`, `MapGroup`). */
import { emit, handlerPlace, handlerName, joinPaths } from './emit';
import { memberAfter, type Member } from './memberAfter';
import type { RouteDefinition } from './routeTypes';
import { skipBlanks, type Source } from './sourceScan';

const ASPNET_ATTRIBUTE = /[[,]\s*(Http(Get|Post|Put|Delete|Patch|Head|Options)|Route|AcceptVerbs)(?:Attribute)?\b/g;

export function aspNetControllerRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  interface Decl {
    member: Member;
    verbs: string[];
    templates: string[];
    routeTemplates: string[];
  }
  const decls = new Map<number, Decl>();
  for (const m of c.matchAll(ASPNET_ATTRIBUTE)) {
    let end = m.index + m[0].length;
    const open = skipBlanks(c, end);
    const call = c[open] === '(' ? src.call(open) : undefined;
    if (call) end = call.end;
    const close = c.indexOf(']', end);
    if (close < 0) continue;
    const member = memberAfter(src, close + 1);
    if (!member) continue;
    let d = decls.get(member.at);
    if (!d) decls.set(member.at, (d = { member, verbs: [], templates: [], routeTemplates: [] }));
    const first = call?.args.find((a) => !/^\w+\s*=/.test(a.text));
    const template = first && src.string(first.start)?.value;
    if (m[1] === 'Route') {
      if (template !== undefined) d.routeTemplates.push(template);
    } else if (m[1] === 'AcceptVerbs') {
      d.verbs.push(...(call ? call.args.flatMap((a) => src.strings(a.start, a.end)) : []).map((v) => v.toUpperCase()));
    } else {
      d.verbs.push(m[2]!.toUpperCase());
      if (template !== undefined) d.templates.push(template);
    }
  }
  const classes = [...decls.values()].filter((d) => d.member.isClass).sort((a, b) => a.member.at - b.member.at);
  // in a controller with a [Route], a public method without attributes is an action too, for any verb
  for (const cls of classes) {
    if (cls.routeTemplates.length === 0) continue;
    const open = c.indexOf('{', cls.member.at);
    const close = open < 0 ? -1 : src.close(open);
    if (close < 0) continue;
    const body = c.slice(open, close);
    for (const m of body.matchAll(
      /^[ \t]*public[ \t]+(?:(?:async|virtual|override|new)[ \t]+)*[\w<>[\],?. ]+?[ \t]+(\w+)[ \t]*\(/gm,
    )) {
      const name = m[1]!;
      const at = open + m.index + m[0].lastIndexOf(name);
      const before = c.slice(Math.max(open, c.lastIndexOf('\n', c.lastIndexOf('\n', at) - 1)), at);
      if (decls.has(at) || name === cls.member.name || /\[\s*NonAction\b/.test(before) || /\b(?:class|static)\b/.test(m[0]))
        continue;
      decls.set(at, { member: { name, at, isClass: false }, verbs: [], templates: [], routeTemplates: [] });
    }
  }
  const classAt = [...c.matchAll(/\bclass\s+(\w+)/g)].map((m) => ({ at: m.index, name: m[1]! }));
  for (const d of decls.values()) {
    if (d.member.isClass) continue;
    const clsName = classAt.filter((k) => k.at < d.member.at).pop()?.name ?? '';
    const cls = classes.filter((k) => k.member.name === clsName).pop();
    const controller = clsName.replace(/Controller$/, '');
    const tokens = (t: string) =>
      t
        .replace(/\[controller\]/gi, controller)
        .replace(/\[action\]/gi, d.member.name)
        .replace(/\[area\]/gi, '');
    const prefixes = cls && cls.routeTemplates.length > 0 ? cls.routeTemplates : [''];
    const templates = [...d.templates, ...d.routeTemplates];
    for (const template of templates.length > 0 ? templates : ['']) {
      const absolute = /^~?\//.test(template);
      for (const prefix of absolute ? [''] : prefixes) {
        for (const method of d.verbs.length > 0 ? d.verbs : [undefined]) {
          emit(out, src.file, {
            method,
            route: tokens(joinPaths(prefix, template.replace(/^~/, ''))),
            line: src.line(d.member.at),
            handler: `${clsName}.${d.member.name}`,
            framework: 'aspnet',
          });
        }
      }
    }
  }
}

export function aspNetMinimalRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const groups = new Map<string, { parent: string; path: string }>();
  for (const m of c.matchAll(/\b(?:var|RouteGroupBuilder)\s+(\w+)\s*=\s*(\w+)\s*\.\s*MapGroup\s*\(/g)) {
    const path = src.string(m.index + m[0].length);
    if (path) groups.set(m[1]!, { parent: m[2]!, path: path.value });
  }
  const prefix = (name: string, depth: number): string => {
    const g = groups.get(name);
    return g && depth < 8 ? joinPaths(prefix(g.parent, depth + 1), g.path) : '';
  };
  for (const m of c.matchAll(/\b(\w+)\s*\.\s*Map(Get|Post|Put|Delete|Patch|Methods)\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const methods: (string | undefined)[] =
      m[2] === 'Methods' && call.args[1]
        ? src.strings(call.args[1].start, call.args[1].end).map((v) => v.toUpperCase())
        : [m[2]!.toUpperCase()];
    const handler = handlerName(call.args[call.args.length - 1]);
    const place = handlerPlace(src, handler, src.line(m.index + m[0].indexOf('Map')));
    for (const method of methods) {
      emit(out, src.file, { method, route: joinPaths(prefix(m[1]!, 0), path.value), ...place, handler, framework: 'aspnet' });
    }
  }
}
