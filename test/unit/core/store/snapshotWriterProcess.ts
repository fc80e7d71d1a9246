// A window of its own for the two-writer test: a receiver in this process persisting to the file given, receiving
// the traces it is told to, saving as they arrive, until its stdin ends. Run by persistence.twoWindows.test.ts.
import * as readline from 'node:readline';
import { startReceiver } from '../../../../src/core/receiver/otlpReceiver';

async function main(file: string): Promise<void> {
  const receiver = await startReceiver({ port: 0, persist: { path: file, debounceMs: 20 } });
  process.stdout.write(`${JSON.stringify({ url: receiver.url, loaded: receiver.loaded })}\n`);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { clear?: boolean };
    if (command.clear) receiver.store.clear();
    process.stdout.write(`${JSON.stringify({ done: true, traces: receiver.store.stats().traces })}\n`);
  }
  await receiver.close();
  process.stdout.write(`${JSON.stringify({ closed: true })}\n`);
}

main(process.argv[2]!).catch((e: unknown) => {
  process.stderr.write(`writer process: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
