/**
 * JVM resources beyond Spring (Java and Kotlin): JAX-RS (`@Path` on the class and its methods, `@GET` and the
 * other verb annotations; Jersey, RESTEasy, Quarkus) and Micronaut (`@Controller("/x")`, `@Get("/{id}")`).
 * A JAX-RS application is served under its `@ApplicationPath`, declared once per application: its routes are
 * partial, mounted under that prefix when the same module declares it.
 */
import { emit, emitMount, joinPaths } from './emit';
import { memberAfter, type Member } from './memberAfter';
import type { RouteDefinition, RouteMount } from './routeTypes';
import { type Call, skipBlanks, type Source } from './sourceScan';

const JAXRS = /@(Path|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ApplicationPath)\b/g;
const MICRONAUT = /@(Controller|Get|Post|Put|Delete|Patch|Head|Options|Trace)\b/g;

interface Annotated {
  member: Member;
  paths?: string[];
  methods: string[];
}

/** The module an application's sources belong to (up to `src/main/`): JAX-RS mounts are keyed by it. */
const jaxrsKey = (file: string): string => {
  const main = file.indexOf('src/main/');
  return `jaxrs:${main >= 0 ? file.slice(0, main) : file.slice(0, file.lastIndexOf('/') + 1)}`;
};

export function jaxrsRoutes(src: Source, out: RouteDefinition[], mounts: RouteMount[]): void {
  // MicroProfile REST clients declare the calls they make with the same annotations
  if (!/\b(?:javax|jakarta)\.ws\.rs\b/.test(src.code) || /@RegisterRestClient\b/.test(src.code)) return;
  const byMember = annotated(src, JAXRS, (name, call, entry) => {
    if (name === 'Path' || name === 'ApplicationPath') entry.paths = pathsOf(src, call);
    else entry.methods.push(name);
    if (name === 'ApplicationPath') entry.methods.push('@app');
  });
  const key = jaxrsKey(src.file);
  const classes = [...byMember.values()].filter((a) => a.member.isClass);
  for (const a of classes) {
    if (a.methods.includes('@app')) {
      for (const prefix of a.paths ?? ['']) emitMount(mounts, { key, prefix, file: src.file, line: src.line(a.member.at) });
    }
  }
  for (const a of byMember.values()) {
    // a method with @Path alone is a sub-resource locator: the resource it returns serves the request
    if (a.member.isClass || a.methods.length === 0) continue;
    const cls = classes.filter((k) => k.member.at < a.member.at && !k.methods.includes('@app')).pop();
    for (const prefix of cls?.paths ?? ['']) {
      for (const path of a.paths ?? ['']) {
        for (const method of a.methods) {
          emit(out, src.file, {
            method,
            route: joinPaths(prefix, path),
            line: src.line(a.member.at),
            handler: `${cls?.member.name ?? ''}.${a.member.name}`,
            framework: 'jaxrs',
            partial: true,
            mountKey: key,
          });
        }
      }
    }
  }
}

export function micronautRoutes(src: Source, out: RouteDefinition[]): void {
  // declarative `@Client` interfaces describe calls going out
  if (!/\bio\.micronaut\b/.test(src.code) || /@Client\s*\(/.test(src.code)) return;
  const byMember = annotated(src, MICRONAUT, (name, call, entry) => {
    entry.paths = pathsOf(src, call);
    if (name !== 'Controller') entry.methods.push(name.toUpperCase());
  });
  const controllers = [...byMember.values()].filter((a) => a.member.isClass);
  for (const a of byMember.values()) {
    if (a.member.isClass || a.methods.length === 0) continue;
    const cls = controllers.filter((k) => k.member.at < a.member.at).pop();
    for (const prefix of cls?.paths ?? ['']) {
      for (const path of a.paths ?? ['']) {
        for (const method of a.methods) {
          emit(out, src.file, {
            method,
            route: joinPaths(prefix, path),
            line: src.line(a.member.at),
            handler: `${cls?.member.name ?? ''}.${a.member.name}`,
            framework: 'micronaut',
          });
        }
      }
    }
  }
}

/** Annotations matching `pattern`, gathered by the class or method they annotate, in source order. */
function annotated(
  src: Source,
  pattern: RegExp,
  read: (name: string, call: Call | undefined, entry: Annotated) => void,
): Map<number, Annotated> {
  const c = src.code;
  const byMember = new Map<number, Annotated>();
  for (const m of c.matchAll(pattern)) {
    // `@Path` is also the start of `@PathParam`: the word boundary keeps those out, imports are not annotations
    if (/import\s+[\w.]*$/.test(c.slice(Math.max(0, m.index - 200), m.index))) continue;
    let end = m.index + m[0].length;
    const open = skipBlanks(c, end);
    const call = c[open] === '(' ? src.call(open) : undefined;
    if (call) end = call.end;
    const member = memberAfter(src, end);
    if (!member) continue;
    let entry = byMember.get(member.at);
    if (!entry) byMember.set(member.at, (entry = { member, methods: [] }));
    read(m[1]!, call, entry);
  }
  return byMember;
}

/** `("/x")`, `(value = "/x")`, `(uri = "/x")`, `(uris = {"/a", "/b"})`, Kotlin `["/a"]`; [''] when none. */
function pathsOf(src: Source, call: Call | undefined): string[] {
  if (!call) return [''];
  const arg =
    src.keyword(call, 'value') ??
    src.keyword(call, 'uri') ??
    src.keyword(call, 'uris') ??
    call.args.find((a) => !/^\w+\s*=/.test(a.text));
  const paths = arg ? src.strings(arg.start, arg.end) : [];
  return paths.length > 0 ? paths : [''];
}
