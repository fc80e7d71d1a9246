// The waterfall webview's entry: registers the toolkit's elements, starts the app, and says ready.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { WaterfallApp } from './app';
import { createHostChannel } from './hostChannel';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField());

const channel = createHostChannel();
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
root.id = 'root';
const app = new WaterfallApp(channel, root);
// For the benchmark and the browser tests: timings and the view's frame hook. Holds no trace data of its own.
(window as unknown as { traceLensWaterfall: WaterfallApp }).traceLensWaterfall = app;
window.addEventListener('error', (e) => {
  // Chromium reports a ResizeObserver that resized again within one frame as an error; it is harmless here.
  if (String(e.message).startsWith('ResizeObserver loop')) return;
  channel.post({ type: 'log', level: 'error', message: String(e.message) });
});
channel.post({ type: 'ready' });
