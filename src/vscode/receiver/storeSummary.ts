/**
 * The local store's counters as lines for the status bar tooltip: what it holds against its limits, what it evicted
 * (for the span or the size limit), rejected, cut and dropped. Plain text made of numbers and fixed words only, so
 * that it is safe in the tooltip's Markdown; no vscode import, so that it is unit-tested.
 */
import type { StoreStats, TraceStore } from '../../core/store/traceStore';

/** `receiverUrl`: shown first when the receiver runs while another backend is active (already escaped). */
export function storeLines(
  stats: StoreStats,
  limits: Pick<TraceStore, 'maxSpans' | 'maxBytes' | 'attributeValueLengthLimit'>,
  receiverUrl?: string,
): string[] {
  const lines: string[] = [];
  if (receiverUrl) lines.push(`Local receiver also listening on ${receiverUrl}`);
  lines.push(
    `Store: ${count(stats.traces, 'trace')}, ${count(stats.spans, 'span')} of ${number(limits.maxSpans)}, ` +
      `${megabytes(stats.bytes)} of ${megabytes(limits.maxBytes)}`,
  );
  const forBytes = stats.evictedTracesForBytes > 0 ? ` (${count(stats.evictedTracesForBytes, 'trace')} for the size limit)` : '';
  lines.push(
    `Evicted (oldest first, to stay within the limits): ${count(stats.evictedTraces, 'trace')}, ${count(stats.evictedSpans, 'span')}${forBytes}`,
  );
  lines.push(`Rejected: ${count(stats.rejectedSpans, 'span')}`);
  if (stats.truncatedValues > 0) {
    lines.push(
      `Cut to ${number(limits.attributeValueLengthLimit)} characters: ${count(stats.truncatedValues, 'attribute value')}`,
    );
  }
  if (stats.evictedExceptions > 0) {
    lines.push(`Exception records dropped (oldest first): ${number(stats.evictedExceptions)}`);
  }
  return lines;
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

function count(n: number, noun: string): string {
  return `${number(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** "0.4 MB", "12.3 MB", "256 MB" */
function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb < 100 ? mb.toFixed(1) : number(Math.round(mb))} MB`;
}
