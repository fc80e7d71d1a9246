/**
 * The only contract between the extension host and the waterfall webview. Both sides import these
 * discriminated unions; the host answers nothing before the webview's `ready`.
 */

/** Webview → host. */
export type WebviewMessage = { type: 'ready' };

/** Host → webview. */
export type HostMessage = { type: 'showMessage'; text: string };
