/**
 * What a server said in a response body, as text: the body decoded, and an error body reduced to one
 * line (a JSON error's message, an HTML page's title or its text without tags).
 */
import type { HttpResponse } from './httpTypes';

/** The body as text; a UTF-8 byte order mark is dropped. */
export function bodyText(body: Uint8Array): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** What an error body says, as one line of plain text: an HTML page's title, a JSON error's message. */
export function serverMessage(response: Pick<HttpResponse, 'body' | 'headers'>): string | undefined {
  const text = bodyText(response.body).trim();
  if (text === '') return undefined;
  let said: string | undefined;
  if (looksLikeHtml(response.body) || /html/i.test(response.headers['content-type'] ?? '')) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
    said = title !== undefined ? stripTags(title) : `an HTML page: ${stripTags(text)}`;
  } else if (text.startsWith('{') || text.startsWith('[')) {
    try {
      said = jsonErrorMessage(JSON.parse(text)) ?? text;
    } catch {
      said = text;
    }
  } else {
    said = text;
  }
  const line = said
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return undefined;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Whether the body starts as an HTML page does, whatever its Content-Type says. */
export function looksLikeHtml(body: Uint8Array): boolean {
  const head = bodyText(body.subarray(0, 512)).trimStart().slice(0, 15).toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

/** Jaeger `{errors:[{msg}]}`, api_v3 `{error:{message}}`, Tempo/Zipkin `{message}` or `{error}`. */
function jsonErrorMessage(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  if (Array.isArray(o.errors)) {
    const msgs = o.errors
      .map((e) => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>).msg : undefined))
      .filter((m): m is string => typeof m === 'string');
    if (msgs.length > 0) return msgs.join('; ');
  }
  if (typeof o.error === 'object' && o.error !== null) {
    const m = (o.error as Record<string, unknown>).message;
    if (typeof m === 'string') return m;
  }
  if (typeof o.message === 'string') return o.message;
  if (typeof o.error === 'string') return o.error;
  return undefined;
}

function stripTags(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
