/**
 * Request/response over the message channel. The asking side numbers its requests and keeps a promise
 * per request until the reply with the same `inReplyTo` arrives; a request that is cancelled (its
 * AbortSignal fires, or everything is cancelled because the trace changed) or that is not answered in
 * time rejects with a RequestError, and the other side is told to drop it. The answering side builds its
 * replies with `replyTo`, which types the answer by the request's method.
 */
import type {
  HostMessage,
  HostNotification,
  ReplyMessage,
  RequestMessage,
  RequestMethod,
  RequestParams,
  RequestResult,
  WebviewMessage,
} from './messages';

/** How long a request waits for its reply unless told otherwise, in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export type RequestFailure = 'cancelled' | 'timeout' | 'failed';

/** Why a request has no answer: cancelled by the asker, not answered in time, or refused by the other side. */
export class RequestError extends Error {
  constructor(
    readonly method: RequestMethod,
    readonly reason: RequestFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** True for a request that was cancelled on purpose: nothing to report. */
export function isCancelled(e: unknown): boolean {
  return e instanceof RequestError && e.reason === 'cancelled';
}

export interface RequestOptions {
  /** cancels the request: the promise rejects at once, and the host is told */
  signal?: AbortSignal;
  /** milliseconds to wait for the reply; DEFAULT_REQUEST_TIMEOUT_MS when unset */
  timeoutMs?: number;
}

interface Pending {
  method: RequestMethod;
  resolve(result: ReplyMessage): void;
  reject(error: RequestError): void;
}

/** The webview's half: sends requests, settles them from replies. */
export class RequestClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: WebviewMessage) => void) {}

  /** Requests waiting for their reply (for tests and the log). */
  get waiting(): number {
    return this.pending.size;
  }

  request<M extends RequestMethod>(method: M, params: RequestParams<M>, options: RequestOptions = {}): Promise<RequestResult<M>> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new RequestError(method, 'cancelled', `${method} request cancelled`));
    const messageId = this.nextId++;
    return new Promise<RequestResult<M>>((resolve, reject) => {
      const settle = (): void => {
        this.pending.delete(messageId);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const drop = (reason: 'cancelled' | 'timeout', message: string): void => {
        if (!this.pending.has(messageId)) return;
        settle();
        this.post({ type: 'cancel', messageId });
        reject(new RequestError(method, reason, message));
      };
      const onAbort = (): void => drop('cancelled', `${method} request cancelled`);
      const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const wait = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
      const timer = setTimeout(() => drop('timeout', `the host did not answer the ${method} request within ${wait}`), timeoutMs);
      signal?.addEventListener('abort', onAbort);
      this.pending.set(messageId, {
        method,
        resolve: (reply) => {
          settle();
          resolve(reply as unknown as RequestResult<M>);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.post({ type: method, messageId, ...params } as RequestMessage);
    });
  }

  /**
   * Settles the request a reply answers. Returns false for a message that is no reply, so that the caller
   * hands it on; a reply to a request no longer waiting (cancelled, timed out) is dropped.
   */
  receive(message: HostMessage): message is Exclude<HostMessage, HostNotification> {
    if (!('inReplyTo' in message)) return false;
    const pending = this.pending.get(message.inReplyTo);
    if (!pending) return true;
    if (message.type === 'failed') pending.reject(new RequestError(pending.method, 'failed', message.message));
    else if (message.type !== pending.method)
      pending.reject(new RequestError(pending.method, 'failed', `a ${message.type} reply came for a ${pending.method} request`));
    else pending.resolve(message);
    return true;
  }

  /** Cancels every request still waiting, e.g. when another trace arrives. */
  cancelAll(): void {
    for (const [messageId, pending] of [...this.pending]) {
      this.post({ type: 'cancel', messageId });
      pending.reject(new RequestError(pending.method, 'cancelled', `${pending.method} request cancelled`));
    }
  }
}

/** The reply to `request` carrying `result`, typed by the request's method. */
export function replyTo<M extends RequestMethod>(request: RequestMessage<M>, result: RequestResult<M>): ReplyMessage<M> {
  return { ...result, type: request.type, inReplyTo: request.messageId } as ReplyMessage<M>;
}

/** The answer saying that request `request` cannot be answered, and why. */
export function refuse(request: RequestMessage, message: string): HostMessage {
  return { type: 'failed', inReplyTo: request.messageId, message };
}
