/**
 * A CONNECT-only forward proxy on 127.0.0.1 (what undici's ProxyAgent tunnels through), recording targets.
 * Whatever host is asked for, it connects to 127.0.0.1 on that port: tests can name a backend host that
 * only the proxy "knows", and no traffic leaves the machine.
 */
import * as http from 'node:http';
import * as net from 'node:net';

export interface FakeProxy {
  url: string;
  /** "host:port" of each CONNECT */
  connects: string[];
  close(): Promise<void>;
}

export async function startFakeProxy(options: { requireAuth?: string } = {}): Promise<FakeProxy> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    connects.push(req.url ?? '');
    if (options.requireAuth !== undefined && req.headers['proxy-authorization'] !== options.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const destroy = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', destroy);
    client.on('error', destroy);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
