/**
 * The connection pools of one client, made on first use: one direct, one through the proxy, both with
 * the configured timeouts and TLS trust. Loopback and noProxy hosts never use the proxy.
 */
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { HttpClientConfig } from './httpClientConfig';

export class HttpDispatchers {
  private direct: Dispatcher | undefined;
  private proxied: Dispatcher | undefined;

  constructor(private readonly config: HttpClientConfig) {}

  /** The pool a request to `url` goes through. */
  dispatcherFor(url: URL): { dispatcher: Dispatcher; viaProxy: boolean } {
    const { proxyUrl, tls, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = this.config;
    if (proxyUrl && !bypassesProxy(url.hostname, this.config.noProxy)) {
      this.proxied ??= new ProxyAgent({
        uri: proxyUrl.href,
        requestTls: { ...tls, timeout: connectTimeoutMs },
        connect: { timeout: connectTimeoutMs },
        headersTimeout: headersTimeoutMs,
        bodyTimeout: bodyTimeoutMs,
      });
      return { dispatcher: this.proxied, viaProxy: true };
    }
    this.direct ??= new Agent({
      connect: { ...tls, timeout: connectTimeoutMs },
      headersTimeout: headersTimeoutMs,
      bodyTimeout: bodyTimeoutMs,
    });
    return { dispatcher: this.direct, viaProxy: false };
  }

  async close(): Promise<void> {
    const dispatchers = [this.direct, this.proxied];
    this.direct = this.proxied = undefined;
    await Promise.all(dispatchers.map((d) => d?.destroy().catch(() => undefined)));
  }
}

/** Loopback never goes through a proxy (as in Go's net/http); then the noProxy list. */
function bypassesProxy(hostname: string, noProxy: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)) return true;
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const suffix = entry.replace(/^\*?\./, '');
    return host === suffix || host.endsWith(`.${suffix}`);
  });
}
