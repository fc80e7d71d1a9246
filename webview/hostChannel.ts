/**
 * The webview's end of the protocol channel, and its only caller of acquireVsCodeApi (which may be called
 * once per page). Also where the persisted UI state is read and written.
 */
import { isHostMessage, isViewState } from '../src/protocol/messageChecks';
import type { WaterfallViewState, WebviewChannel, WebviewMessage } from '../src/protocol/messages';

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
