/**
 * `trace-lens-mcp` (dist/mcp.js): the agent tools as an MCP server on stdio. stdout carries the protocol only;
 * everything for people goes to stderr. Exits 2 on a configuration it cannot use, saying what to fix.
 */
import { promises as fs } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpContext } from './mcpContext';
import { parseMcpArgs, USAGE, UsageError } from './mcpArgs';
import { createTraceLensMcpServer } from './mcpServer';

declare const TRACE_LENS_VERSION: string | undefined;
const VERSION = typeof TRACE_LENS_VERSION === 'string' ? TRACE_LENS_VERSION : 'dev';

const log = (line: string): void => {
  process.stderr.write(`[trace-lens-mcp] ${line}\n`);
};

async function main(): Promise<number> {
  const config = parseMcpArgs(process.argv.slice(2));
  if (config.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (config.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  for (const dir of config.workspaces) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) throw new UsageError(`--workspace ${dir}: no such directory`);
  }
  const { ctx, dispose } = await createMcpContext(config, log);
  const server = createTraceLensMcpServer(ctx, VERSION);
  const transport = new StdioServerTransport();
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => undefined);
    await dispose();
  };
  // the client closing stdin ends the session
  process.stdin.on('end', () => void close().then(() => process.exit(0)));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void close().then(() => process.exit(0)));
  await server.connect(transport);
  const sources = ctx.sources();
  log(
    `ready: ${sources.length > 0 ? sources.map((s) => `${s.name} (${s.label})`).join(', ') : 'no trace source'}` +
      (config.workspaces.length > 0 ? `; workspace ${config.workspaces.join(', ')}` : '; no workspace'),
  );
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof UsageError;
    log(`${usage ? '' : 'cannot start: '}${e instanceof Error ? e.message : String(e)}`);
    if (usage) process.stderr.write(`\n${USAGE}`);
    process.exitCode = 2;
  },
);
