/**
 * A route's handler named at its registration but defined elsewhere (`h.GetOrder`, `OrdersController:show`,
 * `orders::get`), found among the workspace's definitions of the registration's language: on a type, file or
 * folder named like the owner the registration gives, nearest the registration's folder.
 */
import type { HandlerRef, RouteDefinition } from '../routes';
import type { WorkspaceIndex } from '../workspaceIndex';
import { squash } from '../spelling';

/**
 * The definition a registration names but does not define (`h.GetOrder`, `OrdersController:show`), among
 * the definitions of that name in the registration's language: those its owner names (a type, class, module
 * or package) when the registration gives one, nearest the registration first; none when two fit equally or
 * an owner that is a type names none of them.
 */
export function resolveHandler(
  def: RouteDefinition,
  index: WorkspaceIndex,
): { file: string; line: number; name: string } | undefined {
  const ref = def.handlerRef ?? generatedHandlerRef(def, index);
  if (!ref) return undefined;
  // the index already put a handler it was told the file of in place
  if (def.target?.files.includes(def.file)) return undefined;
  const lang = index.languageOf(def.file);
  const dir = def.file.slice(0, def.file.lastIndexOf('/') + 1);
  const hits = index.definitions(ref.name).filter((h) => index.languageOf(h.file) === lang);
  if (hits.length === 0) return undefined;
  if (index.isGenerated(def.file)) {
    // a generated server (oapi-codegen, OpenAPI Generator) calls the interface it was handed: the one
    // hand-written method of that name beside it implements the route
    const beside = hits.filter((h) => !index.isGenerated(h.file) && h.file.slice(0, h.file.lastIndexOf('/') + 1) === dir);
    if (beside.length === 1) return { file: beside[0]!.file, line: beside[0]!.line, name: ref.name };
  }
  let pool = hits;
  if (ref.owner !== undefined) {
    const owner = squash(ref.owner);
    const named = hits.filter((h) => {
      const base = h.file.slice(h.file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
      const folder = h.file.split('/').slice(-2, -1)[0] ?? '';
      return [...h.qualifier, base, folder].some((n) => squash(n) === owner || squash(n) === `${owner}controller`);
    });
    // a type or class that names none of them: not one of these; a variable or an alias says nothing
    if (named.length === 0 && /^[A-Z]/.test(ref.owner)) return undefined;
    if (named.length > 0) pool = named;
  }
  let best: { file: string; line: number; score: number } | undefined;
  let tie = false;
  for (const h of pool) {
    const hDir = h.file.slice(0, h.file.lastIndexOf('/') + 1);
    const score = (hDir === dir ? 1000 : 0) + commonDirs(dir, hDir);
    if (!best || score > best.score) [best, tie] = [{ file: h.file, line: h.line, score }, false];
    else if (score === best.score && (h.file !== best.file || h.line !== best.line)) tie = true;
  }
  return best && !tie ? { file: best.file, line: best.line, name: ref.name } : undefined;
}

/** How many leading folders two folder paths (ending in `/`) share. */
function commonDirs(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

/**
 * A handler a generated server defines itself (oapi-codegen's `ServerInterfaceWrapper.GetOrders`) only hands the
 * request to the interface it was given: the hand-written method of the same name beside it is the answer.
 */
function generatedHandlerRef(def: RouteDefinition, index: WorkspaceIndex): HandlerRef | undefined {
  if (def.handler === undefined || !index.isGenerated(def.file)) return undefined;
  const name = /(\w+)\W*$/.exec(def.handler)?.[1];
  return name === undefined ? undefined : { name };
}
