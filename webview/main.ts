// The waterfall webview's entry: announces itself to the host and renders what the host sends as text.
import type { HostMessage, WebviewMessage } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'showMessage': {
      const root = document.getElementById('root');
      if (root) root.textContent = message.text;
      break;
    }
  }
});
vscode.postMessage({ type: 'ready' });
