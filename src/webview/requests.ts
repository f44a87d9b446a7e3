/** Request bookkeeping and debouncing for searches (no DOM). */

/**
 * Hands out increasing request ids and tells whether a response is for the latest request.
 * Anything older than the latest sent (or invalidated) request is stale and must be ignored.
 */
export class SearchTracker {
  private latest: number;
  private pending = false;

  constructor(start = 0) {
    this.latest = Number.isSafeInteger(start) && start >= 0 ? start : 0;
  }

  /** The id for a new request. */
  next(): number {
    this.latest = this.latest >= Number.MAX_SAFE_INTEGER - 1 ? 1 : this.latest + 1;
    this.pending = true;
    return this.latest;
  }

  /** Make every outstanding request stale (the pad was cleared, or the host pushed other results). */
  invalidate(): void {
    this.latest = this.latest >= Number.MAX_SAFE_INTEGER - 1 ? 1 : this.latest + 1;
    this.pending = false;
  }

  /** Is this response the answer to the latest request? Marks it answered if so. */
  accept(requestId: number): boolean {
    if (requestId !== this.latest || !this.pending) return false;
    this.pending = false;
    return true;
  }

  get isPending(): boolean { return this.pending; }
  get lastId(): number { return this.latest; }
}

export interface TimerApi {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: TimerApi = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Trailing-edge debounce with cancel/flush; timers injectable for tests. */
export class Debouncer {
  private handle: unknown = undefined;

  constructor(private readonly fn: () => void, private readonly ms: number, private readonly timers: TimerApi = realTimers) {}

  schedule(): void {
    this.cancel();
    this.handle = this.timers.set(() => {
      this.handle = undefined;
      this.fn();
    }, this.ms);
  }

  cancel(): void {
    if (this.handle !== undefined) {
      this.timers.clear(this.handle);
      this.handle = undefined;
    }
  }

  /** Run now if scheduled. */
  flush(): void {
    if (this.handle !== undefined) {
      this.cancel();
      this.fn();
    }
  }

  get scheduled(): boolean { return this.handle !== undefined; }
}
