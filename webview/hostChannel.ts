/**
 * The webview's end of the protocol channel, and its only caller of acquireVsCodeApi (which may be called
 * once per page). Also where the persisted UI state is read and written.
 */
import { isHostMessage, type WaterfallViewState, type WebviewChannel, type WebviewMessage } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel extends WebviewChannel {
  getState(): WaterfallViewState | undefined;
  setState(state: WaterfallViewState): void;
}

export function createHostChannel(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    listen(handler) {
      const onMessage = (event: MessageEvent<unknown>): void => {
        if (isHostMessage(event.data)) handler(event.data);
      };
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
    getState() {
      const state = api.getState();
      return isViewState(state) ? state : undefined;
    },
    setState: (state) => api.setState(state),
  };
}

function isViewState(value: unknown): value is WaterfallViewState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<WaterfallViewState>;
  return v.version === 1 && typeof v.traceId === 'string' && typeof v.collapsed === 'string';
}
