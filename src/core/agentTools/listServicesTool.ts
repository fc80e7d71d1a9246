/** list_services: the trace sources by name, and the services of one with their operations. */
import type { AgentContext } from './agentContext';
import { DATA_CLOSE, DATA_NOTICE, DATA_OPEN, quote } from './dataText';
import { count, plural } from './format';
import { sourceLine } from './searchTracesTool';
import type { ListServicesInput } from './toolDefinitions';
import { ToolError } from './toolErrors';

/** Services whose operations are listed, at most, and operations shown per service in the overview. */
const MAX_SERVICES = 100;
const OPERATIONS_SHOWN = 25;
const CONCURRENCY = 4;

export async function listServicesTool(ctx: AgentContext, input: ListServicesInput, signal?: AbortSignal): Promise<string> {
  const sources = ctx.sources();
  const lease = await ctx.source(input.source, signal);
  try {
    const { source } = lease;
    const lines = [
      `Sources: ${sources.map((s) => `${JSON.stringify(s.name)} (${s.label}${s.active ? ', active' : ''})`).join('; ') || 'none'}.`,
      `Source: ${sourceLine(source)}.`,
      `Window: ${source.holdings ? `what the store holds now (${source.holdings()})` : `what ${source.label} retains (the backend decides how far back)`}.`,
    ];
    let services = await source.backend.listServices({ signal });
    if (input.service !== undefined) {
      if (!services.includes(input.service)) {
        throw new ToolError(
          'notFound',
          `${source.label} has no service ${JSON.stringify(input.service)}; it has ${plural(services.length, 'service')}` +
            `${
              services.length > 0
                ? `: ${services
                    .slice(0, 30)
                    .map((s) => JSON.stringify(s))
                    .join(', ')}`
                : ''
            }.`,
        );
      }
      services = [input.service];
    }
    const shown = services.slice(0, MAX_SERVICES);
    const operations: (string[] | Error)[] = [];
    for (let k = 0; k < shown.length; k += CONCURRENCY) {
      const batch = shown.slice(k, k + CONCURRENCY);
      operations.push(
        ...(await Promise.all(
          batch.map((s) =>
            source.backend.listOperations(s, { signal }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
          ),
        )),
      );
    }
    const perService = input.service !== undefined ? Infinity : OPERATIONS_SHOWN;
    lines.push(DATA_NOTICE, DATA_OPEN, `${plural(services.length, 'service')} (operations are span names):`);
    shown.forEach((name, k) => {
      const ops = operations[k]!;
      if (ops instanceof Error) {
        lines.push(`${quote(name, 200)}: operations could not be listed (${quote(ops.message, 300)})`);
        return;
      }
      const listed = ops.slice(0, perService).map((o) => quote(o, 200));
      const more =
        ops.length > listed.length
          ? `, and ${count(ops.length - listed.length)} more (list_services with service=${JSON.stringify(name)})`
          : '';
      lines.push(
        `${quote(name, 200)}: ${plural(ops.length, 'operation')}${listed.length > 0 ? `: ${listed.join(', ')}` : ''}${more}`,
      );
    });
    if (services.length > shown.length) lines.push(`…and ${count(services.length - shown.length)} more services not listed`);
    lines.push(DATA_CLOSE);
    return lines.join('\n');
  } finally {
    await lease.release();
  }
}
