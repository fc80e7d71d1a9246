/**
 * Keeping credentials out of sight: URLs without user info or secret query values, configured header values out
 * of log lines, and secret ones out of server text that echoes them.
 */

/** Never shown, even when a server echoes them. Callers add their own through `secretHeaders`. */
const ALWAYS_SECRET = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];
/** Header and query-parameter names that look like credentials are treated as secret too. */
const SECRET_NAME = /auth|token|secret|passw|api[-_]?key|session|signature|credential/i;

/** Removes user info and masks credential-looking query values: for messages and logs. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactUnparsed(raw);
  }
  // `user:secret@host` parses too, as a `user:` URL whose path holds the secret
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return redactUnparsed(raw);
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) if (SECRET_NAME.test(key)) url.searchParams.set(key, 'redacted');
  return url.href;
}

/**
 * The same for text that is not an http(s) URL (a setting typed wrong, a password with a bare `/`): everything
 * between `//` and the last `@` goes, and credential-looking query values are masked.
 */
function redactUnparsed(raw: string): string {
  let out = raw;
  const at = out.lastIndexOf('@');
  if (at !== -1) {
    const slashes = out.indexOf('//');
    const from = slashes !== -1 && slashes < at ? slashes + 2 : 0;
    out = `${out.slice(0, from)}…${out.slice(at)}`;
  }
  return out.replace(/([?&;]([^=&#;]*)=)([^&#;]*)/g, (match, prefix: string, name: string) =>
    SECRET_NAME.test(name) ? `${prefix}redacted` : match,
  );
}

/** The headers a client sends with every request, and which of them are secret. */
export class HeaderSecrets {
  private readonly secretNames: Set<string>;

  constructor(
    private readonly headers: Readonly<Record<string, string>>,
    secretHeaders: readonly string[] = [],
  ) {
    this.secretNames = new Set([...ALWAYS_SECRET, ...secretHeaders.map((h) => h.toLowerCase())]);
  }

  isSecret(name: string): boolean {
    const lower = name.toLowerCase();
    return this.secretNames.has(lower) || SECRET_NAME.test(lower);
  }

  /** A server may echo what it was sent: secret header values (and their bare tokens) are masked. */
  scrub(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    let out = text;
    for (const [name, value] of Object.entries(this.headers)) {
      if (!this.isSecret(name)) continue;
      const token = value.replace(/^(Bearer|Basic|Token)\s+/i, '');
      for (const secret of [value, token]) if (secret.length >= 4) out = out.split(secret).join('<redacted>');
    }
    return out;
  }

  /**
   * The configured headers' names for a log line. Never their values: a header not named like a credential may
   * still be one (`X-Honeycomb-Team`, `Ocp-Apim-Subscription-Key`).
   */
  headerNote(): string {
    const names = Object.keys(this.headers);
    return names.length === 0 ? '' : ` [headers sent: ${names.join(', ')}]`;
  }
}
