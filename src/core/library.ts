/**
 * The library surface's conveniences: `createBackend({ type: 'local' })` reaches the store of the receiver
 * most recently started in this process, so scripts need not thread the store through by hand.
 */
import { createBackend as createConfiguredBackend, type BackendConfig, type BackendDependencies } from './backends/createBackend';
import { BackendConfigError } from './backends/backendErrors';
import { createLocalBackend } from './backends/localBackend';
import type { TraceBackend } from './backends/types';
import { startReceiver as startConfiguredReceiver, type Receiver, type ReceiverOptions } from './receiver/otlpReceiver';
import type { TraceStore } from './store/traceStore';

const running = new Set<Receiver>();

/** Starts the embedded OTLP/HTTP receiver (127.0.0.1:4318 unless told otherwise). */
export async function startReceiver(options?: ReceiverOptions): Promise<Receiver> {
  const receiver = await startConfiguredReceiver(options);
  running.add(receiver);
  const close = receiver.close;
  return {
    ...receiver,
    close: () => {
      running.delete(receiver);
      return close();
    },
  };
}

/** A Jaeger, Tempo or Zipkin client, or for 'local' the store of the latest receiver started here. */
export function createBackend(config: BackendConfig, deps: BackendDependencies = {}): TraceBackend {
  const local = deps.local ?? latestStore();
  if (config.type === 'local' && !local) {
    throw new BackendConfigError('No local receiver is running in this process: call startReceiver() first, or pass { local }.', {
      backend: 'Local',
    });
  }
  return createConfiguredBackend(config, local ? { local: deps.local ?? (() => createLocalBackend(local as TraceStore)) } : {});
}

function latestStore(): TraceStore | undefined {
  let latest: TraceStore | undefined;
  for (const r of running) latest = r.store;
  return latest;
}
