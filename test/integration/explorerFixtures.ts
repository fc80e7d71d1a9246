/**
 * Data and steps the explorer's host tests share: three traces that started a few minutes ago (so that the
 * backends' default one-hour window finds them) in OTLP/JSON and Jaeger JSON, and pointing the extension at
 * a fake backend through the real settings and Select Backend.
 */
import * as vscode from 'vscode';

export const CHECKOUT_ID = '5b8efff798038103d269b633813fc60c';
export const HEALTH_ID = '0af7651916cd43dd8448eb211c80319c';
export const WORKER_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

interface SpanSpec {
  traceId: string;
  spanId: string;
  parent?: string;
  service: string;
  name: string;
  /** ms after the first trace's start */
  startMs: number;
  durationMs: number;
  error?: boolean;
  kind: 'server' | 'client' | 'consumer';
}

/** checkout: frontend → checkout → payments (error) and db; health: frontend; worker: one consumer span. */
function spans(): SpanSpec[] {
  return [
    {
      traceId: CHECKOUT_ID,
      spanId: 'eee19b7ec3c1b174',
      service: 'frontend',
      name: 'GET /checkout',
      startMs: 1000,
      durationMs: 1250,
      kind: 'server',
    },
    {
      traceId: CHECKOUT_ID,
      spanId: 'eee19b7ec3c1b175',
      parent: 'eee19b7ec3c1b174',
      service: 'checkout',
      name: 'PlaceOrder',
      startMs: 1010,
      durationMs: 1200,
      kind: 'server',
    },
    {
      traceId: CHECKOUT_ID,
      spanId: 'eee19b7ec3c1b176',
      parent: 'eee19b7ec3c1b175',
      service: 'payments',
      name: 'POST /charge',
      startMs: 1020,
      durationMs: 600,
      error: true,
      kind: 'client',
    },
    {
      traceId: CHECKOUT_ID,
      spanId: 'eee19b7ec3c1b177',
      parent: 'eee19b7ec3c1b175',
      service: 'payments',
      name: 'SELECT orders',
      startMs: 1700,
      durationMs: 40,
      kind: 'client',
    },
    {
      traceId: HEALTH_ID,
      spanId: 'b7ad6b7169203331',
      service: 'frontend',
      name: 'GET /health',
      startMs: 0,
      durationMs: 3,
      kind: 'server',
    },
    {
      traceId: WORKER_ID,
      spanId: '00f067aa0ba902b7',
      service: 'worker',
      name: 'consume orders',
      startMs: -60_000,
      durationMs: 12,
      kind: 'consumer',
    },
  ];
}

const OTLP_KINDS = { server: 2, client: 3, consumer: 5 } as const;

/** One OTLP/JSON document; `t0Ms` is the checkout's start minus a second, epoch ms. */
export function otlpTraces(t0Ms: number): unknown {
  const byService = new Map<string, unknown[]>();
  for (const s of spans()) {
    const startNs = BigInt(t0Ms + s.startMs) * 1_000_000n;
    const list = byService.get(s.service) ?? [];
    list.push({
      traceId: s.traceId,
      spanId: s.spanId,
      ...(s.parent ? { parentSpanId: s.parent } : {}),
      name: s.name,
      kind: OTLP_KINDS[s.kind],
      startTimeUnixNano: String(startNs),
      endTimeUnixNano: String(startNs + BigInt(s.durationMs) * 1_000_000n),
      attributes: [
        ...(s.name.startsWith('POST') ? [{ key: 'http.request.method', value: { stringValue: 'POST' } }] : []),
        // Jaeger finds error spans by this tag, whatever their status says.
        ...(s.error ? [{ key: 'error', value: { boolValue: true } }] : []),
      ],
      status: s.error ? { code: 2, message: 'card declined' } : {},
    });
    byService.set(s.service, list);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'host-test' }, spans: list }],
    })),
  };
}

/** The same traces as Jaeger query API trace objects. */
export function jaegerTraces(t0Ms: number): unknown[] {
  const byTrace = new Map<string, SpanSpec[]>();
  for (const s of spans()) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  return [...byTrace].map(([traceID, list]) => {
    const services = [...new Set(list.map((s) => s.service))];
    return {
      traceID,
      spans: list.map((s) => ({
        traceID,
        spanID: s.spanId,
        operationName: s.name,
        references: s.parent ? [{ refType: 'CHILD_OF', traceID, spanID: s.parent }] : [],
        startTime: (t0Ms + s.startMs) * 1000,
        duration: s.durationMs * 1000,
        tags: [
          { key: 'span.kind', type: 'string', value: s.kind },
          ...(s.error ? [{ key: 'error', type: 'bool', value: true }] : []),
        ],
        logs: [],
        processID: `p${services.indexOf(s.service) + 1}`,
        warnings: null,
      })),
      processes: Object.fromEntries(services.map((name, i) => [`p${i + 1}`, { serviceName: name, tags: [] }])),
      warnings: null,
    };
  });
}

/** Makes `name` (a `traceLens.backends` entry in user settings) the active backend. */
export async function useBackend(name: string, type: 'jaeger' | 'tempo' | 'zipkin', url: string): Promise<void> {
  await vscode.workspace
    .getConfiguration('traceLens')
    .update('backends', [{ name, type, url }], vscode.ConfigurationTarget.Global);
  // Selecting waits for a health check and its report; the backend is active long before that ends.
  const selected = vscode.commands.executeCommand('traceLens.selectBackend', name);
  await Promise.race([selected, new Promise((resolve) => setTimeout(resolve, 2000))]);
}

/** Leaves no backend configured, so that the next test starts from an empty view. */
export async function forgetBackends(): Promise<void> {
  await vscode.commands.executeCommand('traceLens.selectBackend', 'none');
  await vscode.workspace.getConfiguration('traceLens').update('backends', undefined, vscode.ConfigurationTarget.Global);
}

/** The titles of the open webview tabs ("Waterfall: GET /checkout"). */
export function webviewTabs(): string[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview || tab.input instanceof vscode.TabInputCustom)
    .map((tab) => tab.label);
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Selectors of the quick input (the palette's QuickPick) in VS Code 1.100's DOM. */
export const QuickInput = {
  rows: '.quick-input-widget .quick-input-list .monaco-list-row',
  labels: '.quick-input-widget .quick-input-list .monaco-list-row .label-name',
} as const;
