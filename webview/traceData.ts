/**
 * The trace as the webview holds it: the header and full-length columns filled chunk by chunk, plus the
 * string table. DOM-free. Rows not received yet read as zeros; `loaded` says how many have arrived.
 */
import type { WaterfallChunk, WaterfallHeader } from '../src/protocol/waterfallData';

export class TraceData {
  readonly n: number;
  /** rows 0 .. loaded - 1 have arrived */
  loaded = 0;
  readonly strings: string[] = [];
  readonly spanIndex: Int32Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly subtreeEnd: Int32Array;
  /** microseconds since the trace start */
  readonly startUs: Float64Array;
  readonly durationUs: Float64Array;
  readonly selfUs: Float64Array;
  readonly name: Int32Array;
  readonly spanId: Int32Array;
  readonly service: Int32Array;
  readonly flags: Uint16Array;
  private rowById: Map<string, number> | undefined;

  constructor(readonly header: WaterfallHeader) {
    const n = Math.max(0, header.spanCount | 0);
    this.n = n;
    this.spanIndex = new Int32Array(n);
    this.parent = new Int32Array(n).fill(-1);
    this.depth = new Int32Array(n);
    this.subtreeEnd = new Int32Array(n);
    this.startUs = new Float64Array(n);
    this.durationUs = new Float64Array(n);
    this.selfUs = new Float64Array(n);
    this.name = new Int32Array(n);
    this.spanId = new Int32Array(n);
    this.service = new Int32Array(n);
    this.flags = new Uint16Array(n);
  }

  get complete(): boolean {
    return this.loaded >= this.n;
  }

  /** Takes the next chunk; chunks arrive in row order, and one out of order is refused. */
  addChunk(chunk: WaterfallChunk): boolean {
    const { offset, count } = chunk;
    if (offset !== this.loaded || count < 0 || offset + count > this.n) return false;
    for (const s of chunk.strings) this.strings.push(s);
    this.spanIndex.set(chunk.spanIndex, offset);
    this.parent.set(chunk.parent, offset);
    this.depth.set(chunk.depth, offset);
    this.subtreeEnd.set(chunk.subtreeEnd, offset);
    this.startUs.set(chunk.startUs, offset);
    this.durationUs.set(chunk.durationUs, offset);
    this.selfUs.set(chunk.selfUs, offset);
    this.name.set(chunk.name, offset);
    this.spanId.set(chunk.spanId, offset);
    this.service.set(chunk.service, offset);
    this.flags.set(chunk.flags, offset);
    this.loaded = offset + count;
    this.rowById = undefined;
    return true;
  }

  nameOf(row: number): string {
    return this.strings[this.name[row]!] ?? '';
  }

  spanIdOf(row: number): string {
    return this.strings[this.spanId[row]!] ?? '';
  }

  serviceOf(row: number): string {
    return this.header.services[this.service[row]!] ?? '';
  }

  endUs(row: number): number {
    return this.startUs[row]! + this.durationUs[row]!;
  }

  hasChildren(row: number): boolean {
    return this.subtreeEnd[row]! > row + 1;
  }

  /** The first row with this span id, or -1. */
  rowOfSpanId(spanId: string): number {
    if (!this.rowById) {
      this.rowById = new Map();
      for (let row = this.loaded - 1; row >= 0; row--) this.rowById.set(this.spanIdOf(row), row);
    }
    return this.rowById.get(spanId) ?? -1;
  }

  /** Calls `fn` for each child row of `row`, in order. */
  forEachChild(row: number, fn: (child: number) => void): void {
    const end = Math.min(this.subtreeEnd[row]!, this.loaded);
    for (let c = row + 1; c < end; c = Math.max(c + 1, this.subtreeEnd[c]!)) fn(c);
  }
}
