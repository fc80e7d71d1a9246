/**
 * The webview's end of the protocol channel, and its only caller of acquireVsCodeApi (which may be called
 * once per page): notifications both ways, requests answered by the host (`await channel.request(...)`),
 * and the persisted UI state.
 */
import type {
  Channel,
  HostNotification,
  RequestMethod,
  RequestParams,
  RequestResult,
  WaterfallViewState,
  WebviewMessage,
  WebviewNotification,
} from '../src/protocol/messages';
import { isHostMessage, isViewState } from '../src/protocol/messageChecks';
import { RequestClient, type RequestOptions } from '../src/protocol/requests';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel extends Channel<WebviewNotification, HostNotification> {
  /** Asks the host; rejects with a RequestError when cancelled, refused or not answered in time. */
  request<M extends RequestMethod>(method: M, params: RequestParams<M>, options?: RequestOptions): Promise<RequestResult<M>>;
  /** Cancels every request still waiting (another trace arrived). */
  cancelRequests(): void;
  getState(): WaterfallViewState | undefined;
  setState(state: WaterfallViewState): void;
}

export function createHostChannel(): HostChannel {
  const api = acquireVsCodeApi();
  const requests = new RequestClient((message) => api.postMessage(message));
  const listeners = new Set<(message: HostNotification) => void>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isHostMessage(message) || requests.receive(message)) return;
    for (const listener of listeners) listener(message);
  });
  return {
    post: (message) => api.postMessage(message),
    listen(handler) {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    request: (method, params, options) => requests.request(method, params, options),
    cancelRequests: () => requests.cancelAll(),
    getState() {
      const state = api.getState();
      return isViewState(state) ? state : undefined;
    },
    setState: (state) => api.setState(state),
  };
}
