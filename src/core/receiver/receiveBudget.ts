/**
 * The memory every request of the process may hold at once while its body is read and decompressed: the
 * per-request limits (32 MiB on the wire, 64 MiB inflated) bound one request, this bounds them all together,
 * however many arrive at once. A request takes its share before it reads or inflates (the declared or promised
 * size when there is one, else chunk by chunk) and gives it back when it is answered. Past the budget, the
 * request is refused with 429 and Retry-After, as OTLP/HTTP asks of a busy server, so that exporters back off
 * and send again.
 *
 * Large requests cannot take the last part of the budget: it stays for small ones (an SDK's batch of a few
 * hundred spans), so that ordinary exporters keep getting through while large uploads wait their turn.
 */

export interface ReceiveBudgetOptions {
  /** bytes all requests may hold at once (default 192 MiB) */
  capacity?: number;
  /** a request holding more than this is large, in bytes (default 4 MiB) */
  largeRequestBytes?: number;
  /** bytes of the capacity that large requests leave to small ones (default 32 MiB) */
  reservedForSmall?: number;
}

export const DEFAULT_RECEIVE_BUDGET_BYTES = 192 * 1024 * 1024;
const DEFAULT_LARGE_REQUEST_BYTES = 4 * 1024 * 1024;
const DEFAULT_RESERVED_FOR_SMALL = 32 * 1024 * 1024;

export class ReceiveBudget {
  readonly capacity: number;
  private readonly largeRequestBytes: number;
  private readonly reservedForSmall: number;
  private used = 0;
  /** requests refused for the budget, since it was made */
  refused = 0;

  constructor(options: ReceiveBudgetOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_RECEIVE_BUDGET_BYTES;
    this.largeRequestBytes = options.largeRequestBytes ?? DEFAULT_LARGE_REQUEST_BYTES;
    this.reservedForSmall = Math.min(options.reservedForSmall ?? DEFAULT_RESERVED_FOR_SMALL, this.capacity / 2);
  }

  /** bytes held by all requests now */
  get inUse(): number {
    return this.used;
  }

  /** A request's share, empty to begin with. */
  lease(): BudgetLease {
    return new BudgetLease(this);
  }

  /** Takes `bytes` more for a request that holds `held`; false (nothing taken) when the budget does not allow it. */
  take(held: number, bytes: number): boolean {
    const limit = held + bytes > this.largeRequestBytes ? this.capacity - this.reservedForSmall : this.capacity;
    if (this.used + bytes > limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** What one request holds of the budget. */
export class BudgetLease {
  private held = 0;

  constructor(private readonly budget: ReceiveBudget) {}

  get bytes(): number {
    return this.held;
  }

  /** Takes `bytes` more; false (nothing taken) when the budget is spent. */
  take(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (!this.budget.take(this.held, bytes)) return false;
    this.held += bytes;
    return true;
  }

  /** Gives back `bytes` of what it holds (all of it when not given). */
  release(bytes = this.held): void {
    const n = Math.min(bytes, this.held);
    this.held -= n;
    this.budget.give(n);
  }
}

/** The budget every receiver of this process shares unless it is given its own. */
export const processReceiveBudget = new ReceiveBudget();
