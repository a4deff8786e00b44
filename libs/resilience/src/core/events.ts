/** Every event a policy can emit, keyed by type. Each policy emits the subset that applies to it. */
export interface ResilienceEvents {
  /** The call finished successfully at this policy's level. */
  success: { policy: string; durationMs: number };
  /** The call failed at this policy's level (including rejections and timeouts). */
  failure: { policy: string; durationMs: number; error: unknown };
  /** An attempt failed and another follows after `delayMs`. */
  retry: { policy: string; attempt: number; delayMs: number; error: unknown };
  /** Retrying stopped; the last error is passed on. */
  giveUp: { policy: string; attempts: number; reason: 'attempts' | 'budget'; error: unknown };
  /** The breaker moved between states. */
  stateChange: { policy: string; from: CircuitStateName; to: CircuitStateName };
  /** The call was refused without being attempted. */
  reject: { policy: string; reason: 'circuit-open' | 'half-open-full' | 'isolated' | 'bulkhead-full' };
  /** The time limit passed and the call's signal was aborted. */
  timeout: { policy: string; timeoutMs: number };
  /** A fallback answered instead of the failed call. */
  fallback: { policy: string; error: unknown };
}

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated' | 'disabled' | 'metrics-only';

export type ResilienceEventType = keyof ResilienceEvents;
export type ResilienceListener<K extends ResilienceEventType> = (event: ResilienceEvents[K]) => void;

/**
 * A tiny synchronous emitter. Policies check {@link has} before building an event, so a policy
 * nobody listens to pays nothing for events on the hot path.
 */
export class PolicyEvents {
  private readonly listeners: { [K in ResilienceEventType]?: ResilienceListener<K>[] } = {};

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends ResilienceEventType>(type: K, listener: ResilienceListener<K>): () => void {
    const list = (this.listeners[type] ??= []) as ResilienceListener<K>[];
    list.push(listener);
    return () => {
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
    };
  }

  has(type: ResilienceEventType): boolean {
    const list = this.listeners[type];
    return list !== undefined && list.length > 0;
  }

  emit<K extends ResilienceEventType>(type: K, event: ResilienceEvents[K]): void {
    const list = this.listeners[type] as ResilienceListener<K>[] | undefined;
    if (!list) return;
    // A throwing listener must not change the outcome of the call it observes.
    for (const listener of list.slice()) {
      try {
        listener(event);
      } catch {
        /* listeners are observers only */
      }
    }
  }
}
