/**
 * The waterfall webview's page: a strict Content Security Policy (scripts only with this page's nonce,
 * styles and fonts only from the extension (plus the toolkit's nonce-tagged probe), images only from the extension or data: URIs, nothing remote,
 * no inline script or style attribute), one stylesheet and one script. Free of `vscode` so that the
 * browser tests load the very same page.
 */
import { randomBytes } from 'node:crypto';

export interface WaterfallPageOptions {
  /** the webview's `cspSource` */
  cspSource: string;
  /** asWebviewUri of dist/webview.js and media/waterfall.css */
  scriptUri: string;
  styleUri: string;
  nonce?: string;
  title?: string;
}

/** A fresh nonce per page: 128 random bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function waterfallHtml(options: WaterfallPageOptions): string {
  const nonce = options.nonce ?? createNonce();
  const csp = [
    "default-src 'none'",
    `img-src ${options.cspSource} data:`,
    // The nonce lets the toolkit's one probe <style> element in (it reads the nonce from the csp-nonce meta).
    `style-src ${options.cspSource} 'nonce-${nonce}'`,
    `font-src ${options.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta property="csp-nonce" content="${escapeAttr(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttr(options.styleUri)}">
<title>${escapeText(options.title ?? 'Trace Waterfall')}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(options.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
