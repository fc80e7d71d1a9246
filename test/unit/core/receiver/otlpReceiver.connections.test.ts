// The receiver's connection limits over raw sockets: silent, slow and idle clients are let go, and the number of
// connections at once is capped, while exporters keep being served.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import {
  DEFAULT_CONNECTION_LIMITS,
  startReceiver,
  type Receiver,
  type ReceiverOptions,
} from '../../../../src/core/receiver/otlpReceiver';
import { request } from './rawHttp';

interface Outcome {
  /** ms from connecting until the receiver closed the connection */
  closedAfterMs: number;
  /** the status line of what it answered, if anything */
  answer: string;
}

/** Opens a connection, lets `behave` write to it, and resolves when the receiver closes it. */
function connect(url: string, behave: (socket: net.Socket) => void = () => undefined): Promise<Outcome> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let answer = '';
    const socket = net.connect(Number(port), hostname, () => behave(socket));
    socket.on('data', (d: Buffer) => (answer ||= d.toString('latin1').split('\r\n')[0]!));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e);
    });
    socket.on('close', () => resolve({ closedAfterMs: performance.now() - started, answer }));
  });
}

const SPAN = JSON.stringify({
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: '0000000000000001',
              name: 'op',
              startTimeUnixNano: '1735689600000000000',
              endTimeUnixNano: '1735689600001000000',
            },
          ],
        },
      ],
    },
  ],
});

describe('OTLP receiver: connections', () => {
  let running: Receiver | undefined;
  const start = async (connections: ReceiverOptions['connections']): Promise<Receiver> =>
    (running = await startReceiver({ port: 0, connections }));
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('has documented defaults: 10 s for headers, 60 s per request, 30 s idle between requests, 256 connections', () => {
    assert.deepEqual(DEFAULT_CONNECTION_LIMITS, {
      keepAliveMs: 30_000,
      headersMs: 10_000,
      requestMs: 60_000,
      idleMs: 120_000,
      maxConnections: 256,
    });
  });

  it('answers 408 to sockets that send nothing, or headers too slowly, and closes them', async () => {
    const receiver = await start({ headersMs: 300, requestMs: 2000 });
    const silent = Array.from({ length: 40 }, () => connect(receiver.url));
    const slowHeaders = connect(receiver.url, (s) => s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\n'));
    const outcomes = await Promise.all([...silent, slowHeaders]);
    for (const o of outcomes) {
      assert.equal(o.answer, 'HTTP/1.1 408 Request Timeout');
      assert.ok(o.closedAfterMs < 1500, `closed after ${Math.round(o.closedAfterMs)} ms`);
    }
  });

  it('answers 408 to a body that trickles in past the request timeout', async () => {
    const receiver = await start({ headersMs: 300, requestMs: 700 });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await connect(receiver.url, (s) => {
      s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
      timer = setInterval(() => s.write(' '), 50);
    });
    clearInterval(timer);
    assert.equal(outcome.answer, 'HTTP/1.1 408 Request Timeout');
    assert.ok(
      outcome.closedAfterMs >= 650 && outcome.closedAfterMs < 2500,
      `closed after ${Math.round(outcome.closedAfterMs)} ms`,
    );
    assert.equal(receiver.store.stats().spans, 0);
  });

  it('closes a kept-alive connection that stays idle past the keep-alive timeout', async () => {
    const receiver = await start({ keepAliveMs: 300 });
    const outcome = await connect(receiver.url, (s) => {
      s.write(
        `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(SPAN)}\r\n\r\n${SPAN}`,
      );
      s.resume();
    });
    assert.equal(outcome.answer, 'HTTP/1.1 200 OK');
    assert.ok(
      outcome.closedAfterMs >= 250 && outcome.closedAfterMs < 2000,
      `closed after ${Math.round(outcome.closedAfterMs)} ms`,
    );
    assert.equal(receiver.store.stats().spans, 1);
  });

  it('closes connections beyond the cap as they arrive, and serves again once there is room', async () => {
    const receiver = await start({ maxConnections: 5, headersMs: 1500 });
    const held = Array.from({ length: 5 }, () => connect(receiver.url));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = await connect(receiver.url);
    assert.equal(extra.answer, '', 'closed without an answer');
    assert.ok(extra.closedAfterMs < 500, `closed after ${Math.round(extra.closedAfterMs)} ms`);
    const heldOutcomes = await Promise.all(held);
    for (const o of heldOutcomes) assert.ok(o.closedAfterMs > 1000, 'the five within the cap were kept until their timeout');
    const res = await request(receiver.url, { headers: { 'content-type': 'application/json' }, body: SPAN });
    assert.equal(res.status, 200);
  });
});
