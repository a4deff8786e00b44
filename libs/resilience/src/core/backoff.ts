import { checkNumber, checkOneOf, optionalNumber } from './options.js';
import { InvalidPolicyOptionError } from './resilience.errors.js';

export const JITTERS = ['none', 'full', 'equal', 'decorrelated'] as const;
export type Jitter = (typeof JITTERS)[number];

export type BackoffOptions =
  | { type: 'constant'; delayMs: number; jitter?: Jitter }
  | {
      type: 'exponential';
      /** First delay before jitter (default 100 ms). */
      initialDelayMs?: number;
      /** Cap on every delay, jitter included (default 10 s). */
      maxDelayMs?: number;
      /** Growth factor per attempt (default 2). */
      multiplier?: number;
      /** Default `full`: spreads synchronized clients best (AWS "Exponential Backoff and Jitter"). */
      jitter?: Jitter;
    };

/**
 * Delays from a validated backoff description. `delay(n, previous)` is the wait before retry
 * `n` (1-based) and never returns NaN, a negative number or more than the cap.
 */
export class Backoff {
  private constructor(
    private readonly initial: number,
    readonly cap: number,
    private readonly multiplier: number,
    readonly jitter: Jitter,
    private readonly random: () => number,
  ) {}

  static from(option: string, options: BackoffOptions, random: () => number = Math.random): Backoff {
    if (!options || typeof options !== 'object') throw new InvalidPolicyOptionError(option, 'must be a backoff object', options);
    const type = checkOneOf(`${option}.type`, options.type, ['constant', 'exponential'], 'exponential');
    if (type === 'constant') {
      const constant = options as Extract<BackoffOptions, { type: 'constant' }>;
      const delay = checkNumber(`${option}.delayMs`, constant.delayMs, { min: 0 });
      return new Backoff(delay, delay, 1, checkOneOf(`${option}.jitter`, constant.jitter, JITTERS, 'none'), random);
    }
    const exponential = options as Extract<BackoffOptions, { type: 'exponential' }>;
    const initial = optionalNumber(`${option}.initialDelayMs`, exponential.initialDelayMs, 100, { min: 0 });
    const cap = optionalNumber(`${option}.maxDelayMs`, exponential.maxDelayMs, 10_000, { min: 0 });
    if (cap < initial) throw new InvalidPolicyOptionError(`${option}.maxDelayMs`, `must be >= initialDelayMs (${initial})`, cap);
    const multiplier = optionalNumber(`${option}.multiplier`, exponential.multiplier, 2, { min: 1, max: 100 });
    return new Backoff(initial, cap, multiplier, checkOneOf(`${option}.jitter`, exponential.jitter, JITTERS, 'full'), random);
  }

  /** Un-jittered delay before retry `attempt`: initial × multiplier^(attempt-1), capped. */
  base(attempt: number): number {
    if (this.initial === 0) return 0;
    const raw = this.initial * Math.pow(this.multiplier, Math.max(0, attempt - 1));
    // `!(raw < cap)` also catches Infinity from a huge exponent.
    return raw < this.cap ? raw : this.cap;
  }

  /** Jittered delay before retry `attempt`; `previous` is the last delay (decorrelated jitter uses it). */
  delay(attempt: number, previous = this.initial): number {
    const base = this.base(attempt);
    switch (this.jitter) {
      case 'none':
        return base;
      case 'full':
        return this.random() * base;
      case 'equal':
        return base / 2 + (this.random() * base) / 2;
      case 'decorrelated': {
        // min(cap, random_between(initial, previous × 3)), previous clamped so it cannot run away.
        const upper = Math.min(this.cap, Math.max(this.initial, Math.min(previous, this.cap) * 3));
        const value = this.initial + this.random() * (upper - this.initial);
        return value < this.cap ? value : this.cap;
      }
    }
  }
}
