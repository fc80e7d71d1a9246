/**
 * Elixir and Erlang: `Exception.format/3` lines (`(my_app 0.1.0) lib/my_app/cart.ex:42: MyApp.Cart.add/2`),
 * the shell's `in function … (file, line N)` lines, and a printed Erlang stack term
 * (`[{cart,add,2,[{file,"src/cart.erl"},{line,42}]}, …]`, as opentelemetry-erlang records it). Innermost first.
 */
import { frame, positiveInt, type StackFrame } from './frames';

/** `Mod.fun/2`, `:mod.fun/2`, `Mod."odd name"/1`, `anonymous fn/1 in Mod.fun/2`, `Mod.fun(arg)` */
const MFA = String.raw`(?:anonymous fn\/\d+ in )?(?::[\w@]+|:"[^"]+"|[A-Z][\w.]*)\.(?:[a-z_][\w@]*[!?]?|"[^"]+"|[-+*/<>=!&|^~.]+)(?:\/\d+|\(.*\))`;
const ELIXIR_FRAME = new RegExp(String.raw`^\s*(?:\((\w+)(?: [^\s)]+)?\) )?(?:([^\s:][^:]*?):(\d+): )?(${MFA})\s*$`);
/** An application prefix or a source location is required: a bare `Mod.fun/1` line is too easily other text. */
export const ELIXIR_SIGNATURE = new RegExp(
  String.raw`^\s*(?:\(\w+(?: [^\s)]+)?\) (?:[^\s:][^:]*?:\d+: )?|[^\s:][^:]*?\.(?:exs?|erl):\d+: )${MFA}\s*$` +
    String.raw`|^\s*in (?:function|call from)\s+\S+\/\d+|\{file,"[^"]*"\},\s*\{line,\d+\}`,
);
const ERLANG_SHELL_FRAME = /^\s*in (?:function|call from)\s+(\S+?\/\d+)(?: \((.+), line (\d+)\))?\s*$/;
const ERLANG_TERM_FRAME =
  /\{\s*('(?:[^'\\]|\\.)*'|[a-z][\w@]*)\s*,\s*('(?:[^'\\]|\\.)*'|[a-z][\w@]*)\s*,\s*(\d+|\[[^\]]*\])\s*,\s*\[([^\]]*)\]\s*\}/g;

/** OTP and Elixir's own applications: a frame in one of them is runtime code. */
const RUNTIME_APPS: ReadonlySet<string> = new Set(
  'elixir stdlib kernel erts compiler logger eex mix iex ex_unit crypto ssl inets public_key asn1 runtime_tools sasl'.split(' '),
);
/** Functions that macros such as `use Phoenix.Controller` or `use Plug.Builder` generate: `__call__`, `__match_route__`. */
const GENERATED_FUNCTION = /\.__\w+__\//;

export function parseElixir(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const m = ELIXIR_FRAME.exec(line);
    if (m) {
      frames.push(elixirFrame(m[1], m[2], positiveInt(m[3]), m[4]!));
      continue;
    }
    const shell = ERLANG_SHELL_FRAME.exec(line);
    if (shell) frames.push(erlangFrame(shell[1]!, shell[2], positiveInt(shell[3])));
  }
  if (frames.length > 0) return frames;
  return parseErlangTerm(lines.join('\n'));
}

function elixirFrame(app: string | undefined, file: string | undefined, line: number | undefined, mfa: string): StackFrame {
  const called = mfa.replace(/^anonymous fn\/\d+ in /, '').replace(/\((?:.*)\)$/, '');
  const module = moduleOf(called);
  const erlang = module.startsWith(':');
  const isLibrary =
    (app !== undefined && RUNTIME_APPS.has(app)) ||
    GENERATED_FUNCTION.test(called) ||
    // code that a `use` or `@before_compile` hook generates is reported on the module's first line
    (line === 1 && file !== undefined && /\.ex$/.test(file));
  return frame({
    file,
    line,
    function: called,
    module: erlang ? module.slice(1) : module,
    isLibrary: isLibrary || undefined,
  });
}

function erlangFrame(mfa: string, file: string | undefined, line: number | undefined): StackFrame {
  const colon = mfa.indexOf(':');
  const module = colon > 0 ? unquote(mfa.slice(0, colon)) : undefined;
  // a BIF without a module (`list_to_atom/1`) is the runtime's
  return frame({ file, line, function: mfa, module, isLibrary: module === undefined || undefined });
}

function parseErlangTerm(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  ERLANG_TERM_FRAME.lastIndex = 0;
  for (let m = ERLANG_TERM_FRAME.exec(text); m; m = ERLANG_TERM_FRAME.exec(text)) {
    const atom = unquote(m[1]!);
    const module = atom.replace(/^Elixir\./, '');
    const fn = unquote(m[2]!);
    const arity = m[3]!.startsWith('[') ? '' : `/${m[3]}`;
    // each language's own notation: `Shop.Cart.add/2`, `shop_cart:add/2`
    const sep = module === atom ? ':' : '.';
    const info = m[4]!;
    const file = /\{\s*file\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}/.exec(info)?.[1];
    const line = positiveInt(/\{\s*line\s*,\s*(\d+)\s*\}/.exec(info)?.[1]);
    const isLibrary = GENERATED_FUNCTION.test(`.${fn}/`) || undefined;
    frames.push(frame({ file, line, function: `${module}${sep}${fn}${arity}`, module, isLibrary }));
  }
  return frames;
}

/** `MyApp.Cart.add/2` → `MyApp.Cart`; `:gen_server.call/3` → `:gen_server` */
function moduleOf(called: string): string {
  const slash = called.lastIndexOf('/');
  const head = slash > 0 ? called.slice(0, slash) : called;
  if (head.endsWith('"')) return head.slice(0, head.lastIndexOf('."', head.length - 2));
  const dot = head.lastIndexOf('.', head.length - 2);
  return dot > 0 ? head.slice(0, dot) : head;
}

function unquote(atom: string): string {
  return atom.startsWith("'") && atom.endsWith("'") ? atom.slice(1, -1) : atom;
}
