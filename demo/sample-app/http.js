// A tiny HTTP layer with W3C trace-context propagation: an Express-like router for the services and a
// traced client for calling each other. Server spans carry http.route, as HTTP instrumentations record it.
'use strict';
const http = require('node:http');
const { context, propagation, trace, SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { fail } = require('./tracing');

function createApp(tracer) {
  const routes = [];
  const add = (method) => (route, handler) => routes.push({ method, route, handler, pattern: compile(route) });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const match = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const parent = propagation.extract(context.active(), req.headers);
    const attributes = { 'http.request.method': req.method, 'http.route': match.route, 'url.path': url.pathname };
    tracer.startActiveSpan(`${req.method} ${match.route}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
      try {
        const params = match.pattern.exec(url.pathname).groups || {};
        const body = await match.handler({ params, query: url.searchParams, body: await readJson(req) });
        span.setAttribute('http.response.status_code', 200);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
      } catch (error) {
        fail(span, error);
        span.setAttribute('http.response.status_code', 500);
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
      } finally {
        span.end();
      }
    });
  });
  return { get: add('GET'), post: add('POST'), listen: (port) => new Promise((r) => server.listen(port, '127.0.0.1', r)) };
}

/** Calls another service with a CLIENT span and the current trace context in the headers. */
async function call(tracer, method, url, body) {
  const { pathname } = new URL(url);
  return tracer.startActiveSpan(
    `${method} ${pathname}`,
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'url.full': url } },
    async (span) => {
      try {
        const headers = { 'content-type': 'application/json' };
        propagation.inject(context.active(), headers);
        const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        span.setAttribute('http.response.status_code', res.status);
        const json = await res.json();
        if (!res.ok) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: json.error });
          throw new Error(`${method} ${pathname} failed: ${json.error}`);
        }
        return json;
      } finally {
        span.end();
      }
    },
  );
}

function compile(route) {
  return new RegExp(`^${route.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
}

function readJson(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data ? JSON.parse(data) : undefined));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { createApp, call, sleep, trace };
