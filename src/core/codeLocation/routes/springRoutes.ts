/** Spring (Java and Kotlin): `@RequestMapping` and its verb variants on controller classes and methods. */
import { emit, joinPaths } from './emit';
import { memberAfter, type Member } from './memberAfter';
import type { RouteDefinition } from './routeTypes';
import { type Call, skipBlanks, type Source } from './sourceScan';

const SPRING_MAPPING = /@(RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping)\b/g;

export function springRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  // Feign clients and HTTP interfaces use the same annotations for calls going out
  if (/@FeignClient\b/.test(c)) return;
  const classPrefixes = new Map<string, string[]>();
  const methods: { at: number; annotation: string; call?: Call; member: Member }[] = [];
  for (const m of c.matchAll(SPRING_MAPPING)) {
    let end = m.index + m[0].length;
    const open = skipBlanks(c, end);
    const call = c[open] === '(' ? src.call(open) : undefined;
    if (call) end = call.end;
    const member = memberAfter(src, end);
    if (!member) continue;
    if (member.isClass) classPrefixes.set(member.name, springPaths(src, call));
    else methods.push({ at: m.index, annotation: m[1]!, call, member });
  }
  const classes = [...c.matchAll(/\b(?:class|interface|object)\s+(\w+)/g)].map((m) => ({ at: m.index, name: m[1]! }));
  for (const { at, annotation, call, member } of methods) {
    const cls = classes.filter((k) => k.at < at).pop()?.name ?? '';
    let verbs: (string | undefined)[] = [annotation.replace('Mapping', '').toUpperCase()];
    if (annotation === 'RequestMapping') {
      const listed = call && src.keyword(call, 'method');
      const named = listed
        ? [...listed.text.matchAll(/\b(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|TRACE)\b/g)].map((v) => v[1]!)
        : [];
      verbs = named.length > 0 ? named : [undefined];
    }
    for (const prefix of classPrefixes.get(cls) ?? ['']) {
      for (const path of springPaths(src, call)) {
        for (const method of verbs) {
          emit(out, src.file, {
            method,
            route: joinPaths(prefix, path),
            line: src.line(member.at),
            handler: `${cls}.${member.name}`,
            framework: 'spring',
          });
        }
      }
    }
  }
}

/** `("/x")`, `(value = "/x")`, `(path = {"/a", "/b"})`, `(["/a"])` (Kotlin); [''] when none. */
function springPaths(src: Source, call: Call | undefined): string[] {
  if (!call) return [''];
  const named = src.keyword(call, 'value') ?? src.keyword(call, 'path');
  const positional = call.args.find((a) => !/^\w+\s*=/.test(a.text));
  const arg = named ?? positional;
  const paths = arg ? src.strings(arg.start, arg.end) : [];
  return paths.length > 0 ? paths : [''];
}
