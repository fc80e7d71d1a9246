/**
 * The envelope that OTLP trace and log requests share on the wire: Export{Trace,Logs}ServiceRequest holds
 * Resource{Spans,Logs} (field 1), each a Resource (1) and Scope{Spans,Logs} (2), each an InstrumentationScope (1)
 * and the items (2: spans or log records). TracesData and LogsData have the same layout.
 *
 * The walk can stop after a slice of the body and go on later (`step`), so that a large request is read in
 * pieces between which the event loop runs; `readAll` reads it in one go. A resource or scope may come after
 * its items on the wire: each Resource* and Scope* message is looked over once for its resource or scope
 * (skipping the items by their length prefixes) before its items are read.
 */
import { EMPTY_ATTRIBUTES } from '../model/attributes';
import type { Attributes } from '../model/types';
import { OtlpValueReader } from './otlpProtoValues';
import { fieldTag, LEN } from './protoWire';

const REQUEST_RESOURCES = fieldTag(1, LEN);
const RESOURCE_RESOURCE = fieldTag(1, LEN);
const RESOURCE_SCOPES = fieldTag(2, LEN);
const SCOPE_SCOPE = fieldTag(1, LEN);
const SCOPE_ITEMS = fieldTag(2, LEN);

/** Where the walk is: in the request, in a Resource* message, or in a Scope* message. */
const IN_REQUEST = 0;
const IN_RESOURCE = 1;
const IN_SCOPE = 2;

export abstract class OtlpBatchReader extends OtlpValueReader {
  /** the current resource's attributes, shared by its items */
  protected resource: Attributes = EMPTY_ATTRIBUTES;
  /** the current resource's `service.name`, or "unknown_service" */
  protected service = '';

  private level = IN_REQUEST;
  private resourceEnd = 0;
  private scopeEnd = 0;
  /** indexes of the current Resource*, Scope* and item, for the paths in messages */
  private r = -1;
  private s = -1;
  private k = -1;

  /** Reads one item (a span, a log record) in `[pos, end)`; `r`, `s`, `k` are its indexes for messages. */
  protected abstract item(end: number, r: number, s: number, k: number): void;

  /**
   * Reads a Scope* message's InstrumentationScope in `[pos, end)`; the default skips it. Called for each one the
   * message holds (the last wins), after `resetScope`.
   */
  protected scope(end: number): void {
    this.pos = end;
  }

  /** Forgets the previous Scope* message's scope, before the next one's is read. */
  protected resetScope(): void {}

  /** Reads the whole request. Throws TraceFormatError, with the byte offset, for bytes that are not one. */
  readAll(): void {
    while (!this.step(Infinity));
  }

  /**
   * Reads on until about `sliceBytes` more of the body are read (whole items only, so a slice may run past it by
   * one item); true once the request is read to its end. Throws TraceFormatError like `readAll`.
   */
  step(sliceBytes: number): boolean {
    const stop = this.pos + sliceBytes;
    const end = this.buf.length;
    while (this.pos < stop) {
      if (this.level === IN_SCOPE) {
        if (this.pos < this.scopeEnd) {
          const t = this.tag(this.scopeEnd);
          if (t === SCOPE_ITEMS) {
            const e = this.lengthEnd(this.scopeEnd);
            this.item(e, this.r, this.s, ++this.k);
            this.pos = e;
          } else this.skip(t, this.scopeEnd);
          continue;
        }
        this.level = IN_RESOURCE;
      }
      if (this.level === IN_RESOURCE) {
        if (this.pos < this.resourceEnd) {
          const t = this.tag(this.resourceEnd);
          if (t === RESOURCE_SCOPES) this.enterScope(this.lengthEnd(this.resourceEnd));
          else this.skip(t, this.resourceEnd);
          continue;
        }
        this.level = IN_REQUEST;
      }
      if (this.pos >= end) return true;
      const t = this.tag(end);
      if (t === REQUEST_RESOURCES) this.enterResource(this.lengthEnd(end));
      else this.skip(t, end);
    }
    return this.level === IN_REQUEST && this.pos >= end;
  }

  private enterResource(end: number): void {
    const start = this.pos;
    let resource = EMPTY_ATTRIBUTES;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === RESOURCE_RESOURCE) resource = this.resourceAttributes(this.lengthEnd(end));
      else this.skip(t, end);
    }
    this.resource = resource;
    const service = resource['service.name'];
    this.service = typeof service === 'string' && service !== '' ? service : 'unknown_service';
    this.pos = start;
    this.resourceEnd = end;
    this.level = IN_RESOURCE;
    this.r++;
    this.s = -1;
  }

  private enterScope(end: number): void {
    const start = this.pos;
    this.resetScope();
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === SCOPE_SCOPE) this.scope(this.lengthEnd(end));
      else this.skip(t, end);
    }
    this.pos = start;
    this.scopeEnd = end;
    this.level = IN_SCOPE;
    this.s++;
    this.k = -1;
  }
}
