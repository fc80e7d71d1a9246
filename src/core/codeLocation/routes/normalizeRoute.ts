/** One spelling for the route templates of every framework, so that registrations and `http.route` values compare. */

/**
 * One spelling for every framework's template: placeholders (`:id`, `{id}`, `{id:int}`, `<int:id>`, `[id]`,
 * `[...slug]`, `*`, `*path`, rocket `<path..>`, actix `{tail}*`, a regex group standing for a whole segment)
 * become `{}`; optional groups such as Rails' `(.:format)`, Express' `(\d+)` constraints and route groups
 * `(shop)` go; the leading slash is added and the trailing one dropped. Case is kept.
 */
export function normalizeRoute(route: string): string {
  let key = normalized.get(route);
  if (key === undefined) {
    // spans repeat their routes: each is normalised once (the cache starts over when full)
    if (normalized.size >= MAX_CACHED) normalized.clear();
    key = normalizeUncached(route);
    normalized.set(route, key);
  }
  return key;
}

const MAX_CACHED = 10_000;
const normalized = new Map<string, string>();

function normalizeUncached(route: string): string {
  let r = route.trim();
  if (REGEX_ROUTE.test(r)) r = regexToTemplate(r);
  r = r.replace(/\{\$\}/g, '').replace(SEGMENT_REGEX_GROUP, '$1{}');
  for (let prev = ''; prev !== r;) {
    prev = r;
    r = r.replace(/\([^()]*\)\??/g, '');
  }
  const segments: string[] = [];
  for (const s of r.split('/')) {
    if (s === '' || s === '~' || s === '.') continue;
    if (s.startsWith('*') || /^\[\[?\.\.\.[^\]]*\]\]?$/.test(s)) segments.push('{}');
    else segments.push(s.replace(PLACEHOLDER, (_m, lead: string | undefined) => `${lead ?? ''}{}`).replace(/^\{\}\*$/, '{}'));
  }
  return '/' + segments.join('/');
}

/** `/orders/(\d+)` (cpp-httplib, Drogon regex routes): a group of regex syntax that is a whole segment. */
const SEGMENT_REGEX_GROUP = /(^|\/)\((?=[^()/]*[\\[\]+*.|^$])[^()/]*\)(?=\/|$)/g;
/** Django `re_path`/`url()` patterns and other regex routes. */
const REGEX_ROUTE = /^\^|\(\?P?<|\$$/;
/** `{…}`, `<…>`, `[…]`, and `:name` at a segment's start or after `.`/`-` (Express `/:from-:to`). */
const PLACEHOLDER = /\{[^}]*\}|<[^>]*>|\[[^\]]*\]|(^|[.-]):[A-Za-z_]\w*\??/g;

function regexToTemplate(r: string): string {
  let s = r.replace(/^\^/, '').replace(/\/?\??\$$/, '');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      out += s[i + 1] ?? '';
      i++;
    } else if (c === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < s.length && depth > 0; j++) {
        if (s[j] === '\\') j++;
        else if (s[j] === '(') depth++;
        else if (s[j] === ')') depth--;
      }
      out += '{}';
      i = j - 1;
      if (s[j] === '?') s = s.slice(0, j) + s.slice(j + 1);
    } else if (c !== '?' && c !== '+') out += c;
  }
  return out;
}

export function segmentsOf(normalized: string): string[] {
  return normalized === '/' ? [] : normalized.slice(1).split('/');
}
