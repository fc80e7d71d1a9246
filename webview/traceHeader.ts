/**
 * What the page says about the trace above the views: the title (the first root's service and name), the
 * trace's duration, spans, services and errors, the copy-ID button and the view tabs; under the toolbar,
 * the service legend and the trace's warnings on one line.
 */
import { SpanFlags, type WaterfallHeader } from '../src/protocol/waterfallData';
import { h, iconButton } from './dom';
import { ServiceLegend } from './legend';
import { formatDuration } from './timeScale';
import type { TraceData } from './traceData';
import { TraceWarnings } from './traceWarnings';

export class TraceHeader {
  readonly root: HTMLElement;
  /** the legend and the warnings control, on one line */
  readonly strip: HTMLElement;
  /** the warnings, when the control opens them */
  readonly warningList: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly metaEl: HTMLElement;
  private readonly legend: ServiceLegend;
  private readonly warnings = new TraceWarnings();

  constructor(
    tabs: HTMLElement,
    private readonly copy: (text: string, what: string) => void,
    pickService: (service: string) => void,
  ) {
    this.titleEl = h('h1', { className: 'title', text: 'Loading trace…' });
    this.metaEl = h('div', { className: 'meta' });
    this.root = h('header', { className: 'header' }, [h('div', { className: 'heading' }, [this.titleEl, this.metaEl]), tabs]);
    this.legend = new ServiceLegend(pickService);
    this.strip = h('div', { className: 'trace-strip' }, [this.legend.root, this.warnings.button]);
    this.strip.hidden = true;
    this.warningList = this.warnings.list;
  }

  /** What the header says before any row arrives. */
  showHeader(header: WaterfallHeader): void {
    this.titleEl.textContent = `Trace ${shortId(header.traceId)}`;
    this.titleEl.title = header.traceId;
    const copyId = iconButton('copy', 'Copy trace ID', () => this.copy(header.traceId, 'trace ID'));
    this.metaEl.replaceChildren(
      h('span', { text: formatDuration(header.durationUs) }),
      h('span', { text: plural(header.spanCount, 'span') }),
      h('span', { text: plural(header.services.length, 'service') }),
      copyId,
    );
    const warnings = [...(header.partial ? [`Incomplete trace: ${header.partial}`] : []), ...header.warnings];
    this.legend.show(header.services);
    this.warnings.show(warnings);
    this.strip.hidden = header.services.length === 0 && warnings.length === 0;
  }

  /** Title and errors once the rows are known: the first root names the trace. */
  showRows(data: TraceData): void {
    if (data.loaded === 0) return;
    let errors = 0;
    for (let r = 0; r < data.loaded; r++) if ((data.flags[r]! & SpanFlags.error) !== 0) errors++;
    this.titleEl.textContent = `${data.serviceOf(0)}: ${data.nameOf(0)}`;
    this.metaEl.querySelector('.errors')?.remove();
    if (errors > 0) {
      this.metaEl.insertBefore(
        h('span', { className: 'errors', text: `${errors.toLocaleString('en-US')} ${errors === 1 ? 'error' : 'errors'}` }),
        this.metaEl.lastChild,
      );
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
