// Markdown rendered by the renderers that show Trace Lens's Markdown: marked (VS Code's hovers and Markdown
// tooltips render with it, GFM on) and markdown-it (VS Code's Markdown preview, which shows the mapping explanation,
// with linkify on as the preview has it by default). Tests read the HTML they make, as a user would see it.
import MarkdownIt from 'markdown-it';
import { marked } from 'marked';

const preview = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** HTML as VS Code's hover renderer makes it. */
export function hoverHtml(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true, breaks: false });
}

/** HTML as VS Code's Markdown preview makes it. */
export function previewHtml(markdown: string): string {
  return preview.render(markdown);
}

export interface RenderedHtml {
  /** element names in the order they open */
  tags: string[];
  /** the href of every link */
  links: string[];
  /** the text a reader sees: tags dropped, entities decoded */
  text: string;
}

/** What a reader of the HTML sees, and which elements carry it. */
export function readHtml(html: string): RenderedHtml {
  const tags = [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
  const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => decode(m[1]!));
  const text = decode(html.replace(/<[^>]*>/g, ''));
  return { tags, links, text };
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Values a trace may carry to make Markdown do things: end an inline code span (backticks, a blank line), start a
 * block (heading, list, quote, rule, table, fence), link (inline, reference, autolink, bare URL, e-mail), show an
 * image, run HTML, decode entities, show a theme icon.
 */
export const HOSTILE_VALUES: readonly string[] = [
  'Object.handler\n\n![pixel](https://evil.example/p.png) [click me](https://evil.example/phish)',
  'fn`\n\n<img src=x onerror=alert(1)>',
  '``` js\nalert(1)\n```',
  '<script>alert(1)</script><b>bold</b>',
  'https://evil.example/login',
  'see www.evil.example now',
  'mail me@evil.example',
  '<https://evil.example/auto>',
  '[ref]\n\n[ref]: https://evil.example/ref',
  '# Heading\n- item\n1. item\n> quote\n---\n| a | b |\n|---|---|',
  'line\u2028separated\u0000nul\r\nbreak',
  '$(alert) icon &amp; &lt;b&gt; *em* _em_ ~~del~~ \\*',
  'trailing backslash \\',
];

/** What a reader must see of a trace value shown as text: itself, with line breaks and control characters as spaces. */
export function seenAs(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
