/** Base of every error this library raises itself; `code` is stable for logs and problem bodies. */
export class ResilienceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option failed validation when the policy was built; the message names the option. */
export class InvalidPolicyOptionError extends ResilienceError {
  constructor(
    readonly option: string,
    requirement: string,
    value: unknown,
  ) {
    super('RESILIENCE_INVALID_OPTION', `${option} ${requirement} (got ${formatValue(value)})`);
  }
}

/** The breaker refused the call: it is open, isolated, or half-open with every probe slot taken. */
export class BrokenCircuitError extends ResilienceError {
  constructor(
    readonly policy: string,
    readonly state: string,
    /** How long until the breaker admits probes again, when known. */
    readonly retryAfterMs?: number,
  ) {
    super('CIRCUIT_OPEN', `Circuit "${policy}" is ${state}; the call was not attempted`);
  }
}

/** The bulkhead had no free slot and no room left in its queue. */
export class BulkheadRejectedError extends ResilienceError {
  constructor(
    readonly policy: string,
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {
    super('BULKHEAD_FULL', `Bulkhead "${policy}" is full (${maxConcurrent} running, ${maxQueue} queued)`);
  }
}

/** The call did not finish within its time limit; also the abort reason handed to the callee. */
export class TimeoutError extends ResilienceError {
  constructor(
    readonly policy: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super('TIMEOUT', `"${policy}" timed out after ${timeoutMs} ms`, options);
  }
}

/** Retrying stopped; `cause` is the last attempt's error. */
export class RetriesExhaustedError extends ResilienceError {
  constructor(
    readonly policy: string,
    readonly attempts: number,
    /** `attempts` when the attempt limit was reached, `budget` when the retry budget refused. */
    readonly reason: 'attempts' | 'budget',
    cause: unknown,
  ) {
    super(
      'RETRIES_EXHAUSTED',
      reason === 'budget'
        ? `"${policy}" gave up after ${attempts} attempt(s): retry budget exhausted`
        : `"${policy}" gave up after ${attempts} attempt(s)`,
      { cause },
    );
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
