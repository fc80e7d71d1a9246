/**
 * Slim: `$app->get('/x', handler)`, `map([...])`, `any`, groups (`$app->group('/api', function ($group) {…})`, in
 * Slim 3 with `$this` inside), handlers as `Class::class . ':method'`, `'Class:method'`, `[Class::class, 'method']`,
 * invokable classes and closures. Slim's instrumentation reports a named route by its name (`->setName('x')`)
 * and an unnamed one by its pattern, so a named route is recorded under both.
 */
import { emit, joinPaths } from './emit';
import type { HandlerRef, RouteDefinition } from './routeTypes';
import type { Arg, Source } from './sourceScan';

const SLIM_CALL = /(\$\w+)\s*->\s*(get|post|put|patch|delete|options|any|map|group)\s*\(/g;

interface SlimGroup {
  /** the closure body */
  start: number;
  end: number;
  path: string;
  /** the group's parameter (Slim 4), else `$this` (Slim 3) */
  param: string;
  /** what `group` was called on, and where */
  receiver: string;
  at: number;
}

export function slimRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const classes = new Set([...c.matchAll(/\bclass\s+(\w+)/g)].map((m) => m[1]!));
  const calls = [...c.matchAll(SLIM_CALL)].map((m) => ({
    receiver: m[1]!,
    verb: m[2]!,
    at: m.index,
    open: m.index + m[0].length - 1,
  }));
  const groups: SlimGroup[] = [];
  const enclosing = (pos: number) => groups.filter((g) => g.start < pos && pos < g.end);
  // a registration counts on `$app`, or on what a group hands its closure; `$this->get()` elsewhere is a test client
  const isRouter = (receiver: string, pos: number) =>
    receiver === '$app' || enclosing(pos).some((g) => g.param === receiver || (receiver === '$this' && g.param === '$this'));

  for (const call of calls) {
    if (call.verb !== 'group') continue;
    const args = src.call(call.open);
    const path = args?.args[0] && src.string(args.args[0].start);
    const closure = args?.args[1] && /^(?:static\s+)?function\s*\(([^)]*)\)/.exec(args.args[1].text);
    if (!args || !path || !closure) continue;
    const open = c.indexOf('{', args.args[1]!.start + closure[0].length);
    const end = open < 0 ? -1 : src.close(open);
    if (end < 0) continue;
    const param = /(\$\w+)\s*$/.exec(closure[1]!.trim())?.[1] ?? '$this';
    groups.push({ start: open, end, path: path.value, param, receiver: call.receiver, at: call.at });
  }
  // groups nest: a group registered inside another only counts when its receiver is a router there
  const routerGroups = groups.filter((g) => isRouter(g.receiver, g.at));
  groups.splice(0, groups.length, ...routerGroups);

  for (const call of calls) {
    if (call.verb === 'group' || !isRouter(call.receiver, call.at)) continue;
    const args = src.call(call.open);
    if (!args) continue;
    const isMap = call.verb === 'map';
    const path = args.args[isMap ? 1 : 0] && src.string(args.args[isMap ? 1 : 0]!.start);
    const handlerArg = args.args[isMap ? 2 : 1];
    if (!path || !handlerArg) continue;
    const methods: (string | undefined)[] = isMap
      ? src.strings(args.args[0]!.start, args.args[0]!.end).map((m) => m.toUpperCase())
      : [call.verb === 'any' ? undefined : call.verb.toUpperCase()];
    const prefix = joinPaths(...enclosing(call.at).map((g) => g.path));
    const route = joinPaths(prefix, path.value);
    const line = src.line(call.at + c.slice(call.at).indexOf(call.verb));
    const ref = slimHandler(src, handlerArg);
    let place: { line: number; handlerRef?: HandlerRef } = { line };
    if (ref) {
      const own = ref.owner !== undefined && classes.has(ref.owner) ? src.definitionLine(ref.name) : undefined;
      place = own !== undefined ? { line: own } : { line, handlerRef: ref };
    }
    const handler = ref ? `${ref.owner}:${ref.name}` : undefined;
    const name = /^\s*(?:->\s*\w+\s*\([^;]*?\)\s*)*?->\s*setName\s*\(\s*['"]([^'"]+)['"]/.exec(c.slice(args.end, args.end + 500));
    for (const method of methods.length > 0 ? methods : [undefined]) {
      emit(out, src.file, { method, route, ...place, handler, framework: 'slim' });
      if (name) emit(out, src.file, { method, route: name[1]!, ...place, handler, framework: 'slim' });
    }
  }
}

/** `Ctrl::class . ':show'`, `'App\Ctrl:show'`, `[Ctrl::class, 'show']`, `Ctrl::class` (invokable); none for a closure. */
function slimHandler(src: Source, arg: Arg): HandlerRef | undefined {
  const t = arg.text;
  const short = (cls: string) => cls.replace(/^\\/, '').split('\\').pop()!;
  const concat = /^\\?([\w\\]+)::class\s*\.\s*['"]::?(\w+)['"]$/.exec(t);
  if (concat) return { name: concat[2]!, owner: short(concat[1]!) };
  const pair = /^\[\s*\\?([\w\\]+)::class\s*,\s*['"](\w+)['"]\s*\]$/.exec(t);
  if (pair) return { name: pair[2]!, owner: short(pair[1]!) };
  const invokable = /^\\?([\w\\]+)::class$/.exec(t);
  if (invokable) return { name: '__invoke', owner: short(invokable[1]!) };
  const s = src.string(arg.start);
  const notation = s && /^\\?([\w\\]+)::?(\w+)$/.exec(s.value);
  if (notation && s.end === arg.end) return { name: notation[2]!, owner: short(notation[1]!) };
  return undefined;
}
