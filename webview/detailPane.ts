/**
 * The detail pane: everything about the selected span, as text. Values longer than LONG_VALUE characters
 * are shown cut with a control that shows the rest; values the host already cut say so and offer the
 * whole value through "Copy value". The only links are http(s) URLs, opened by the host on a click.
 */
import type { DetailValue, SpanDetail } from '../src/protocol/waterfallData';
import { serviceColor } from './colors';
import { h, icon, iconButton, textButton } from './dom';
import { formatDuration } from './timeScale';

/** characters of a value shown before "Show all" */
export const LONG_VALUE = 300;
/** tooltip of Go to Code for a span the mapping engine found no location for */
export const NO_LOCATION_HINT = 'No code location known — click to see why';
/** event markers drawn on the mini-timeline */
const MAX_EVENT_MARKERS = 200;

export interface DetailActions {
  goToCode(row: number): void;
  focusSubtree(row: number): void;
  copy(text: string, what: string): void;
  copyValue(row: number, section: 'attributes' | 'resource', key: string): void;
  openExternal(url: string): void;
  openLinkedTrace(traceId: string, spanId: string): void;
  openInBackend(row: number): void;
  close(): void;
}

export class DetailPane {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly actions: DetailActions) {
    this.body = h('div', { className: 'detail-body' });
    this.root = h(
      'aside',
      { className: 'detail', attrs: { 'aria-label': 'Span details', role: 'region', 'aria-live': 'polite' } },
      [this.body],
    );
    this.showEmpty();
  }

  showEmpty(): void {
    this.body.replaceChildren(
      h('p', { className: 'detail-empty', text: 'Select a span to see its attributes, events and links.' }),
    );
  }

  showLoading(name: string): void {
    this.body.replaceChildren(
      h('h2', { className: 'detail-name', text: name }),
      h('p', { className: 'detail-empty', text: 'Loading…' }),
    );
  }

  /** The details of the span named `name` cannot be had: `reason` says why. */
  showError(name: string, reason: string): void {
    this.body.replaceChildren(
      h('h2', { className: 'detail-name', text: name }),
      h('p', { className: 'detail-empty', text: `No details: ${reason}.`, attrs: { role: 'alert' } }),
    );
  }

  show(d: SpanDetail, serviceIndex: number, hasBackendUi: boolean): void {
    const a = this.actions;
    const header = h('div', { className: 'detail-header' }, [
      h('h2', { className: 'detail-name', text: d.name, title: d.name }),
      iconButton('close', 'Close details (Esc)', () => a.close()),
    ]);
    const swatch = h('span', { className: 'swatch' });
    swatch.style.background = serviceColor(serviceIndex);
    const status = h('span', {
      className: `status status-${d.status.code}`,
      text: d.status.code === 'error' ? 'Error' : d.status.code === 'ok' ? 'OK' : 'Unset',
    });
    const sub = h('div', { className: 'detail-sub' }, [
      swatch,
      h('span', { className: 'detail-service', text: d.service }),
      h('span', { className: 'detail-kind', text: d.kind }),
      status,
    ]);

    const buttons: HTMLElement[] = [];
    // With no location known the button still works: the host then explains why none was found.
    const unmapped = d.locations !== undefined && d.locations.length === 0;
    const goToCode = textButton('Go to Code', () => a.goToCode(d.row), unmapped ? 'secondary' : 'primary');
    goToCode.classList.add('go-to-code');
    if (unmapped) {
      goToCode.classList.add('unmapped');
      goToCode.title = NO_LOCATION_HINT;
      goToCode.setAttribute('aria-label', `Go to Code. ${NO_LOCATION_HINT}`);
    } else {
      goToCode.title = 'Go to Code (G)';
    }
    buttons.push(goToCode);
    buttons.push(iconButton('focus', 'Focus on this subtree (F)', () => a.focusSubtree(d.row)));
    buttons.push(iconButton('copy', 'Copy span ID', () => a.copy(d.spanId, 'span ID')));
    buttons.push(iconButton('link', 'Copy trace ID', () => a.copy(d.traceId, 'trace ID')));
    if (hasBackendUi) buttons.push(iconButton('external', 'Open in Backend UI', () => a.openInBackend(d.row)));
    const actions = h('div', { className: 'detail-actions' }, buttons);

    const facts = h('dl', { className: 'facts' });
    const fact = (label: string, value: string, copyable = false): void => {
      const dd = h('dd', { text: value });
      if (copyable) dd.appendChild(iconButton('copy', `Copy ${label}`, () => a.copy(value, label)));
      facts.append(h('dt', { text: label }), dd);
    };
    fact('Duration', formatDuration(d.durationUs));
    fact('Self time', formatDuration(d.selfUs));
    fact('Starts at', `+${formatDuration(d.startUs)}`);
    fact('Span ID', d.spanId, true);
    if (d.parentSpanId !== undefined) fact('Parent ID', d.parentSpanId, true);
    fact('Trace ID', d.traceId, true);
    if (d.traceState !== undefined) fact('Trace state', d.traceState);
    if (d.status.message !== undefined) fact('Status message', d.status.message);

    const parts: (HTMLElement | null)[] = [header, sub, actions, facts];
    if (d.warnings.length > 0) {
      parts.push(
        h(
          'div',
          { className: 'detail-warnings', attrs: { role: 'note' } },
          d.warnings.map((w) => h('div', { className: 'warning-line' }, [icon('warning'), h('span', { text: w })])),
        ),
      );
    }
    if (d.locations !== undefined && d.locations.length > 0) {
      const list = h('ul', { className: 'locations' });
      for (const loc of d.locations) {
        const item = h('li', {}, [
          h('span', { className: 'loc-file', text: `${loc.file}:${loc.line}` }),
          h('span', { className: 'loc-reason', text: loc.reason }),
        ]);
        list.appendChild(item);
      }
      parts.push(section('Code', d.locations.length, [list], true));
    }
    parts.push(section('Attributes', d.attributes.length, [this.table(d, 'attributes', d.attributes)], true));
    if (d.events.length > 0) parts.push(section('Events', d.events.length + d.moreEvents, this.events(d), true));
    if (d.links.length > 0) parts.push(section('Links', d.links.length + d.moreLinks, this.links(d), true));
    parts.push(section('Resource', d.resource.length, [this.table(d, 'resource', d.resource)], false));
    if (d.scope !== undefined) {
      parts.push(
        section(
          'Instrumentation scope',
          undefined,
          [h('div', { className: 'scope', text: d.scope.version ? `${d.scope.name} ${d.scope.version}` : d.scope.name })],
          false,
        ),
      );
    }
    this.body.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
    this.body.scrollTop = 0;
  }

  private table(d: SpanDetail, sectionName: 'attributes' | 'resource' | 'event', values: DetailValue[]): HTMLElement {
    if (values.length === 0) return h('p', { className: 'detail-none', text: 'None' });
    const table = h('table', { className: 'kv' });
    for (const v of values) {
      table.appendChild(
        h('tr', {}, [
          h('th', { text: v.key, title: v.key, attrs: { scope: 'row' } }),
          h('td', {}, [this.value(d, sectionName, v)]),
        ]),
      );
    }
    return table;
  }

  private value(d: SpanDetail, sectionName: 'attributes' | 'resource' | 'event', v: DetailValue): HTMLElement {
    const cell = h('div', { className: `value type-${v.type}` });
    const text = v.value;
    if (v.type === 'string' && isWebUrl(text)) {
      const link = h('button', {
        className: 'link',
        text: text.length > LONG_VALUE ? `${text.slice(0, LONG_VALUE)}…` : text,
        title: `Open ${text.slice(0, 500)}`,
      });
      link.addEventListener('click', () => this.actions.openExternal(text));
      cell.appendChild(link);
      return cell;
    }
    const span = h('span', { className: 'value-text', text: text.length > LONG_VALUE ? `${text.slice(0, LONG_VALUE)}…` : text });
    cell.appendChild(span);
    if (text.length > LONG_VALUE) {
      const more = h('button', { className: 'link more', text: `Show all (${sizeLabel(v.length)})` });
      more.addEventListener('click', () => {
        span.textContent = text;
        more.remove();
      });
      cell.appendChild(more);
    }
    if (v.length > text.length) {
      cell.appendChild(
        h('div', { className: 'value-note', text: `Showing the first ${sizeLabel(text.length)} of ${sizeLabel(v.length)}.` }),
      );
      if (sectionName !== 'event') {
        const copy = h('button', { className: 'link', text: 'Copy whole value' });
        copy.addEventListener('click', () => this.actions.copyValue(d.row, sectionName, v.key));
        cell.appendChild(copy);
      }
    }
    return cell;
  }

  private events(d: SpanDetail): HTMLElement[] {
    const track = h(
      'div',
      { className: 'event-track', attrs: { role: 'img', 'aria-label': `${d.events.length} events on the span's timeline` } },
      [h('div', { className: 'event-span' })],
    );
    const duration = d.durationUs;
    const list = h('ol', { className: 'events' });
    d.events.forEach((ev, i) => {
      const item = h('li', { className: 'event' }, [
        h('div', { className: 'event-head' }, [
          h('span', { className: 'event-time', text: `+${formatDuration(ev.offsetUs)}` }),
          h('span', { className: `event-name${ev.name === 'exception' ? ' exception' : ''}`, text: ev.name }),
        ]),
      ]);
      if (ev.attributes.length > 0) item.appendChild(this.table(d, 'event', ev.attributes));
      list.appendChild(item);
      if (i < MAX_EVENT_MARKERS) {
        const marker = h('button', {
          className: `event-marker${ev.name === 'exception' ? ' exception' : ''}`,
          title: `${ev.name} at +${formatDuration(ev.offsetUs)}`,
          attrs: { 'aria-label': `${ev.name} at +${formatDuration(ev.offsetUs)}` },
        });
        const pct = duration > 0 ? (ev.offsetUs / duration) * 100 : 0;
        marker.style.left = `${Math.max(0, Math.min(100, pct))}%`;
        marker.addEventListener('click', () => {
          item.scrollIntoView({ block: 'nearest' });
          item.classList.add('flash');
          setTimeout(() => item.classList.remove('flash'), 800);
        });
        track.appendChild(marker);
      }
    });
    const scale = h('div', { className: 'event-scale' }, [
      h('span', { text: '0' }),
      h('span', { text: formatDuration(duration) }),
    ]);
    const out: HTMLElement[] = [track, scale, list];
    if (d.moreEvents > 0) out.push(h('p', { className: 'detail-none', text: `${d.moreEvents} more events not shown` }));
    return out;
  }

  private links(d: SpanDetail): HTMLElement[] {
    const list = h('ul', { className: 'links' });
    for (const link of d.links) {
      const open = h('button', { className: 'link', text: `${link.traceId} / ${link.spanId}`, title: 'Open the linked trace' });
      open.addEventListener('click', () => this.actions.openLinkedTrace(link.traceId, link.spanId));
      const item = h('li', {}, [open]);
      if (link.attributes.length > 0) item.appendChild(this.table(d, 'event', link.attributes));
      list.appendChild(item);
    }
    const out: HTMLElement[] = [list];
    if (d.moreLinks > 0) out.push(h('p', { className: 'detail-none', text: `${d.moreLinks} more links not shown` }));
    return out;
  }
}

function section(title: string, count: number | undefined, content: HTMLElement[], open: boolean): HTMLElement {
  const summary = h('summary', {}, [h('span', { text: title })]);
  if (count !== undefined) summary.appendChild(h('span', { className: 'count', text: String(count) }));
  const details = h('details', { className: 'detail-section' }, [summary, ...content]);
  details.open = open;
  return details;
}

/** "1.0 MB", "64 KB", "300 characters" */
export function sizeLabel(chars: number): string {
  if (chars >= 1_048_576) return `${(chars / 1_048_576).toFixed(1)} MB`;
  if (chars >= 10_240) return `${Math.round(chars / 1024)} KB`;
  return `${chars} characters`;
}

/** True for a value that is one http(s) URL and nothing else; everything else stays text. */
export function isWebUrl(text: string): boolean {
  if (text.length > 4096 || !/^https?:\/\/\S+$/i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
