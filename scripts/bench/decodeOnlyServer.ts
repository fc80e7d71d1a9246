/**
 * The baseline of `receiver.ratio_vs_decode_only`, in a process of its own (this file, run with `serve`): a
 * node:http server that reads each body, decodes it with protobufjs' generated ExportTraceServiceRequest (or
 * JSON.parse for JSON), and answers 200 with an empty body. It keeps nothing: the least a real receiver must do.
 * It prints `{"url"}` once listening and exits when its stdin ends.
 */
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as readline from 'node:readline';
import { exportTraceServiceRequest } from '../../test/fixtures/generateTraces';

export interface DecodeOnlyServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server process; resolves once it listens. */
export async function startDecodeOnlyServer(): Promise<DecodeOnlyServer> {
  const child = spawn(process.execPath, [...process.execArgv, __filename, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the decode-only server exited (${code})`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function serve(): Promise<void> {
  let decoded = 0;
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      let status = 200;
      try {
        const message =
          req.headers['content-type'] === 'application/json'
            ? JSON.parse(body.toString('utf8'))
            : exportTraceServiceRequest.decode(body);
        if (message) decoded++;
      } catch {
        status = 400;
      }
      res.writeHead(status, { 'content-type': req.headers['content-type'] ?? 'application/json', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  server.closeAllConnections();
  server.close();
  if (decoded === 0) process.stderr.write('decode-only server: no body was decoded\n');
}

if (require.main === module && process.argv[2] === 'serve') {
  serve().catch((e: unknown) => {
    process.stderr.write(`decode-only server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
