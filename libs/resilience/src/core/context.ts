/** What every call receives: the signal to honour and the 1-based attempt number. */
export interface ExecuteContext {
  readonly signal: AbortSignal;
  readonly attempt: number;
}

/**
 * The cancellation source behind a context. Policies subscribe to it directly instead of to an
 * `AbortSignal`, because creating an `AbortSignal` costs microseconds in Node: a timeout creates
 * its signal only when the callee reads `ctx.signal`.
 */
export interface CancelSource {
  readonly signal: AbortSignal;
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` once on abort; returns the unsubscribe function. */
  subscribe(listener: (reason: unknown) => void): () => void;
}

const noop = (): void => undefined;
const neverController = new AbortController();

/** The source of calls made without a signal: never aborts, costs nothing to subscribe to. */
export const NEVER: CancelSource = {
  signal: neverController.signal,
  aborted: false,
  reason: undefined,
  subscribe: () => noop,
};

/** Adapts a caller's `AbortSignal`. */
export class SignalSource implements CancelSource {
  constructor(readonly signal: AbortSignal) {}

  get aborted(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason;
  }

  subscribe(listener: (reason: unknown) => void): () => void {
    const signal = this.signal;
    const onAbort = (): void => listener(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }
}

/** A context as policies pass it down: the attempt number plus its cancellation source. */
export class PolicyContext implements ExecuteContext {
  constructor(
    readonly source: CancelSource,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    return this.source.signal;
  }

  static root(signal?: AbortSignal): PolicyContext {
    return signal ? new PolicyContext(new SignalSource(signal), 1) : ROOT;
  }
}

/** Contexts are immutable, so every call made without a signal can share this one. */
const ROOT = new PolicyContext(NEVER, 1);
