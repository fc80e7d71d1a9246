/**
 * Owns the embedded OTLP receiver and its store for this window: starts and stops it, restarts it when its
 * settings change, keeps the store across restarts (so moving to another port keeps the traces), and saves
 * the store in the workspace's storage so that traces survive a window reload. Starting never throws: a
 * port in use or an address that cannot be listened on comes back as a result for the caller to show.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import {
  DEFAULT_RECEIVER_HOST,
  DEFAULT_RECEIVER_PORT,
  isLoopbackHost,
  startReceiver,
  type Receiver,
} from '../../core/receiver/otlpReceiver';
import { PortInUseError } from '../../core/receiver/receiverErrors';
import { StorePersistence, type LoadResult, type SaveResult } from '../../core/store/persistence';
import {
  DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_SPANS,
  TraceStore,
  type TraceStoreOptions,
} from '../../core/store/traceStore';
import { Settings } from '../contributions';
import { offer } from '../backends/offer';
import { trustedSetting } from '../backends/trustedSetting';
import { Disposable } from '../disposable';

const SNAPSHOT_FILE = 'receiver-store.json.gz';
const MB = 1024 * 1024;
/** the snapshot's default size cap, in MB */
const DEFAULT_PERSIST_MB = 16;
/** the smallest store budget and attribute value length limit taken from the settings (package.json's minimums) */
const MIN_STORE_MB = 16;
const MIN_VALUE_LENGTH_LIMIT = 256;
/** onDidReceive fires at most this often, in ms. */
const RECEIVE_EVENT_INTERVAL_MS = 1000;

export interface ReceiverSettings {
  host: string;
  port: number;
  maxSpans: number;
  /** the store's memory budget, bytes */
  maxStoreBytes: number;
  attributeValueLengthLimit: number;
  corsOrigins: string[];
  persist: boolean;
  /** bytes */
  persistMaxBytes: number;
  /** serve the read-only Jaeger query API on the receiver's port */
  jaegerQueryApi: boolean;
}

export type StartResult =
  { kind: 'started'; receiver: Receiver } | { kind: 'portInUse'; error: PortInUseError } | { kind: 'failed'; message: string };

export type FailedStart = Exclude<StartResult, { kind: 'started' }>;

export function readReceiverSettings(): ReceiverSettings {
  // Hand-edited settings.json can hold anything; each value falls back to its default when it is not usable.
  const port = trustedSetting<unknown>(Settings.receiverPort, DEFAULT_RECEIVER_PORT);
  const host = trustedSetting<unknown>(Settings.receiverHost, DEFAULT_RECEIVER_HOST);
  const maxSpans = trustedSetting<unknown>(Settings.receiverMaxSpans, DEFAULT_MAX_SPANS);
  const storeMb = trustedSetting<unknown>(Settings.receiverMaxStoreSizeMB, DEFAULT_MAX_BYTES / MB);
  const valueLimit = trustedSetting<unknown>(Settings.receiverAttributeValueLengthLimit, DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT);
  const cors = trustedSetting<unknown>(Settings.receiverCorsOrigins, []);
  const persistMb = trustedSetting<unknown>(Settings.receiverPersistMaxSizeMB, DEFAULT_PERSIST_MB);
  return {
    host: typeof host === 'string' && host.trim() !== '' ? host.trim() : DEFAULT_RECEIVER_HOST,
    port: Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535 ? (port as number) : DEFAULT_RECEIVER_PORT,
    maxSpans: Number.isInteger(maxSpans) && (maxSpans as number) >= 1 ? (maxSpans as number) : DEFAULT_MAX_SPANS,
    maxStoreBytes: Math.round((typeof storeMb === 'number' && storeMb >= MIN_STORE_MB ? storeMb : DEFAULT_MAX_BYTES / MB) * MB),
    attributeValueLengthLimit:
      Number.isInteger(valueLimit) && (valueLimit as number) >= MIN_VALUE_LENGTH_LIMIT
        ? (valueLimit as number)
        : DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    corsOrigins: Array.isArray(cors) ? cors.filter((o): o is string => typeof o === 'string') : [],
    persist: trustedSetting<unknown>(Settings.receiverPersist, true) !== false,
    persistMaxBytes: (typeof persistMb === 'number' && persistMb >= 1 ? persistMb : DEFAULT_PERSIST_MB) * MB,
    jaegerQueryApi: trustedSetting<unknown>(Settings.receiverJaegerQueryApi, false) === true,
  };
}

export class ReceiverController extends Disposable {
  private receiver: Receiver | undefined;
  /** what the running receiver was started with, to skip restarts that would change nothing */
  private listening: ReceiverSettings | undefined;
  private storeValue: TraceStore | undefined;
  private persistence: StorePersistence | undefined;
  /** the snapshot file and size cap the persistence was made for */
  private persistenceKey: string | undefined;
  private storeSubscription: { dispose(): void } | undefined;
  /** start, stop and restart run one after another */
  private queue: Promise<unknown> = Promise.resolve();
  private receiveTimer: NodeJS.Timeout | undefined;
  private receivePending = false;
  /** the last save failed (its notification was shown; the next is shown after a save works again) */
  private saveFailing = false;
  /** traces the last save left out for the size cap */
  private lastOmitted = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly received = new vscode.EventEmitter<void>();

  /** started, stopped, moved, or the store was replaced */
  readonly onDidChange = this.changed.event;
  /** spans arrived; at most once a second */
  readonly onDidReceive = this.received.event;

  private readonly storageUri: vscode.Uri | undefined;
  private readonly log: vscode.LogOutputChannel;
  private readonly onRestartFailed: (result: FailedStart) => void;

  constructor(options: {
    /** the workspace's storage folder; without one the store is not persisted */
    storageUri: vscode.Uri | undefined;
    log: vscode.LogOutputChannel;
    /** a restart after a settings change could not listen; the receiver is stopped */
    onRestartFailed?: (result: FailedStart) => void;
  }) {
    super();
    this.storageUri = options.storageUri;
    this.log = options.log;
    this.onRestartFailed = options.onRestartFailed ?? (() => undefined);
    this.registerAll(
      this.changed,
      this.received,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('traceLens.receiver')) void this.applySettings();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.applySettings()),
    );
  }

  get running(): boolean {
    return this.receiver !== undefined;
  }

  /** e.g. http://127.0.0.1:4318, while running */
  get url(): string | undefined {
    return this.receiver?.url;
  }

  get port(): number | undefined {
    return this.receiver?.port;
  }

  get host(): string | undefined {
    return this.receiver?.host;
  }

  /** the store, once the receiver has started in this window (it stays after a stop) */
  get store(): TraceStore | undefined {
    return this.storeValue;
  }

  /** `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318`: the line to give an app's environment */
  get endpointLine(): string | undefined {
    return this.receiver ? `OTEL_EXPORTER_OTLP_ENDPOINT=${this.receiver.url}` : undefined;
  }

  /** Starts the receiver with the current settings; does nothing when it runs already. */
  start(): Promise<StartResult> {
    return this.enqueue(async () => {
      if (this.receiver) return { kind: 'started', receiver: this.receiver };
      return this.listen(readReceiverSettings());
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.close());
  }

  /** Closes the receiver and writes the store's snapshot; for deactivation. */
  shutdown(): Promise<void> {
    return this.enqueue(async () => {
      await this.close();
      this.storeSubscription?.dispose();
      await this.persistence?.dispose();
      this.persistence = undefined;
    });
  }

  override dispose(): void {
    void this.shutdown();
    if (this.receiveTimer) clearTimeout(this.receiveTimer);
    super.dispose();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async listen(settings: ReceiverSettings): Promise<StartResult> {
    const store = await this.prepareStore(settings);
    try {
      this.receiver = await startReceiver({
        host: settings.host,
        port: settings.port,
        store,
        corsOrigins: settings.corsOrigins,
        ...(settings.jaegerQueryApi ? { jaegerQueryApi: {} } : {}),
      });
    } catch (e) {
      if (e instanceof PortInUseError) {
        this.log.warn(`Receiver: ${e.message}`);
        return { kind: 'portInUse', error: e };
      }
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`Receiver could not start on ${settings.host}:${settings.port}: ${message}`);
      return { kind: 'failed', message };
    }
    this.listening = settings;
    const cors = settings.corsOrigins.length > 0 ? `; CORS for ${settings.corsOrigins.join(', ')}` : '';
    const api = settings.jaegerQueryApi ? `; Jaeger query API at ${this.receiver.url}/api` : '';
    const exposed = isLoopbackHost(settings.host) ? '' : ' (not loopback: reachable from other machines)';
    this.log.info(
      `Receiver listening on ${this.receiver.url}${exposed}${cors}${api}; store holds ${store.stats().traces} traces`,
    );
    this.changed.fire();
    return { kind: 'started', receiver: this.receiver };
  }

  private async close(): Promise<void> {
    const receiver = this.receiver;
    if (!receiver) return;
    this.receiver = undefined;
    this.listening = undefined;
    await receiver.close();
    await this.persistence?.flush();
    this.log.info(`Receiver on ${receiver.url} stopped`);
    this.changed.fire();
  }

  /** Writes the store's snapshot now (when persistence is on). */
  async flush(): Promise<void> {
    await this.persistence?.flush();
  }

  /** Restarts a running receiver when its settings changed; adjusts the store and its snapshot either way. */
  private applySettings(): Promise<void> {
    return this.enqueue(async () => {
      const settings = readReceiverSettings();
      const wasRunning = this.receiver;
      if (!wasRunning && !this.storeValue) return;
      if (wasRunning && JSON.stringify(settings) === JSON.stringify(this.listening)) return;
      if (wasRunning) {
        await this.close();
        const result = await this.listen(settings);
        if (result.kind !== 'started') this.onRestartFailed(result);
      } else {
        await this.prepareStore(settings);
        this.changed.fire();
      }
    });
  }

  /** The store for `settings`: made (and its snapshot loaded) the first time, remade when one of its limits changed. */
  private async prepareStore(settings: ReceiverSettings): Promise<TraceStore> {
    let store = this.storeValue;
    const limits = storeOptions(settings);
    if (
      store &&
      (store.maxSpans !== limits.maxSpans ||
        store.maxBytes !== limits.maxBytes ||
        store.attributeValueLengthLimit !== limits.attributeValueLengthLimit)
    ) {
      const next = new TraceStore(limits);
      next.add([...store.traces()]);
      next.addExceptions([...store.allExceptions()]);
      this.log.info(
        `Receiver store limits changed to ${settings.maxSpans} spans, ${Math.round(settings.maxStoreBytes / MB)} MB, ` +
          `attribute values of ${settings.attributeValueLengthLimit} characters; ${next.stats().traces} traces kept`,
      );
      await this.persistence?.dispose();
      this.persistence = undefined;
      this.persistenceKey = undefined;
      store = next;
      this.adopt(store);
    }
    const snapshot = settings.persist && this.storageUri ? vscode.Uri.joinPath(this.storageUri, SNAPSHOT_FILE).fsPath : undefined;
    if (!store) {
      store = new TraceStore(limits);
      this.adopt(store);
      if (snapshot) {
        this.persistence = this.makePersistence(store, snapshot, settings.persistMaxBytes);
        this.persistenceKey = `${snapshot}|${settings.persistMaxBytes}`;
        this.reportLoad(await this.persistence.load());
      }
      return store;
    }
    const key = snapshot ? `${snapshot}|${settings.persistMaxBytes}` : undefined;
    if (key !== this.persistenceKey) {
      await this.persistence?.dispose();
      this.persistence = undefined;
      if (this.persistenceKey && !snapshot) {
        // Persistence turned off: the traces kept on disk go too.
        await fs.rm(this.persistenceKey.slice(0, this.persistenceKey.lastIndexOf('|')), { force: true }).catch(() => undefined);
        this.log.info('Receiver: persistence is off; the saved traces were deleted');
      }
      this.persistenceKey = key;
      // Saves on the next batch; what the store holds now was saved by the persistence just disposed, if any.
      if (snapshot) this.persistence = this.makePersistence(store, snapshot, settings.persistMaxBytes);
    }
    return store;
  }

  private makePersistence(store: TraceStore, file: string, maxBytes: number): StorePersistence {
    return new StorePersistence(store, {
      path: file,
      maxBytes,
      onSaved: (result) => this.noteSaved(result, maxBytes),
      onError: (error) => this.noteSaveFailed(error, file),
    });
  }

  private reportLoad(loaded: LoadResult): void {
    if (loaded.problem) this.log.warn(`Receiver: the saved traces could not be loaded: ${loaded.problem}`);
    else if (loaded.traces > 0) {
      this.log.info(`Receiver: loaded ${loaded.traces} traces (${loaded.spans} spans) saved by an earlier session`);
    }
    if (loaded.dropped) {
      const { lines, spans, exceptions } = loaded.dropped;
      this.log.warn(
        `Receiver: left out what could not be read of the saved traces: ${lines} lines, ${spans} spans, ${exceptions} exception records`,
      );
    }
    if (loaded.stoppedEarly) this.log.warn(`Receiver: ${loaded.stoppedEarly}`);
  }

  /** A save that worked: says when saving works again, and when traces were left out for the size cap. */
  private noteSaved(result: SaveResult, maxBytes: number): void {
    if (this.saveFailing) {
      this.saveFailing = false;
      this.log.info('Receiver: the traces are saved again');
    }
    if (result.omittedTraces > 0 && result.omittedTraces !== this.lastOmitted) {
      this.log.info(
        `Receiver: saved ${result.traces} traces; left out the ${result.omittedTraces} oldest to stay within ` +
          `${Math.round(maxBytes / MB)} MB (traceLens.receiver.persistMaxSizeMB)`,
      );
    }
    this.lastOmitted = result.omittedTraces;
  }

  /** A save that failed: logged every time, shown once until saving works again. */
  private noteSaveFailed(error: Error, file: string): void {
    this.log.error(`Receiver: the traces could not be saved to ${file}: ${error.message}`);
    if (this.saveFailing) return;
    this.saveFailing = true;
    offer(
      'warning',
      `Trace Lens could not save the local receiver's traces (${error.message}). They stay in memory; saving is tried again as traces arrive.`,
      { 'Show Log': () => this.log.show() },
    );
  }

  private adopt(store: TraceStore): void {
    this.storeSubscription?.dispose();
    this.storeValue = store;
    this.storeSubscription = store.onDidChange(() => this.noteReceived());
  }

  /** Fires onDidReceive now, then at most once per interval while batches keep arriving. */
  private noteReceived(): void {
    if (this.receiveTimer) {
      this.receivePending = true;
      return;
    }
    this.received.fire();
    const tick = (): void => {
      if (this.receivePending) {
        this.receivePending = false;
        this.received.fire();
        this.receiveTimer = setTimeout(tick, RECEIVE_EVENT_INTERVAL_MS);
      } else {
        this.receiveTimer = undefined;
      }
    };
    this.receiveTimer = setTimeout(tick, RECEIVE_EVENT_INTERVAL_MS);
  }
}

function storeOptions(
  settings: ReceiverSettings,
): Required<Pick<TraceStoreOptions, 'maxSpans' | 'maxBytes' | 'attributeValueLengthLimit'>> {
  return {
    maxSpans: settings.maxSpans,
    maxBytes: settings.maxStoreBytes,
    attributeValueLengthLimit: settings.attributeValueLengthLimit,
  };
}
