/** Code locations as agents read them: `src/orders.js:16 (charge)`, with confidence and the evidence behind them. */
import type { CodeMatch } from '../codeLocation/evidence';
import { quote } from './dataText';

/** A workspace path: bare when it is made of ordinary path characters, else quoted. */
export function filePath(file: string): string {
  return /^[\w./@+-]{1,400}$/.test(file) ? file : quote(file, 400);
}

/** `src/orders.js:16 charge` */
export function where(m: CodeMatch): string {
  const line = m.line !== undefined ? `:${m.line}` : '';
  const fn = m.function !== undefined ? ` ${quote(m.function, 120)}` : '';
  return `${filePath(m.file)}${line}${fn}`;
}

/** `→ src/orders.js:16 charge (confidence 0.8; exception event (Error) frame 1 …)`; the reason quoted: it quotes span data. */
export function arrow(m: CodeMatch, reasonChars = 160): string {
  return `→ ${where(m)} (confidence ${m.confidence}; ${quote(m.reason, reasonChars)})`;
}
