import { InvalidPolicyOptionError } from './resilience.errors.js';

interface NumberRule {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  integer?: boolean;
  /** Allow `Infinity` (e.g. "no limit"). */
  infinite?: boolean;
}

/** Checks one numeric option at build time; throws naming the option and what it must be. */
export function checkNumber(option: string, value: unknown, rule: NumberRule = {}): number {
  const fail = (requirement: string): never => {
    throw new InvalidPolicyOptionError(option, requirement, value);
  };
  if (typeof value !== 'number' || Number.isNaN(value)) return fail('must be a number');
  if (value === Infinity && rule.infinite) return value;
  if (!Number.isFinite(value)) return fail('must be finite');
  if (rule.integer && !Number.isInteger(value)) fail('must be an integer');
  if (rule.min !== undefined && value < rule.min) fail(`must be >= ${rule.min}`);
  if (rule.above !== undefined && value <= rule.above) fail(`must be > ${rule.above}`);
  if (rule.max !== undefined && value > rule.max) fail(`must be <= ${rule.max}`);
  return value;
}

/** Like {@link checkNumber} but returns the default when the option is left out. */
export function optionalNumber(option: string, value: unknown, fallback: number, rule: NumberRule = {}): number {
  return value === undefined ? fallback : checkNumber(option, value, rule);
}

export function checkOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidPolicyOptionError(option, `must be one of ${allowed.join(', ')}`, value);
}

export function checkFunction<F>(option: string, value: unknown, fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new InvalidPolicyOptionError(option, 'must be a function', value);
  return value as F;
}

/** Policy names become metric labels: keep them short and label-safe. */
export function checkName(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(value)) {
    throw new InvalidPolicyOptionError(option, 'must be 1-64 characters of letters, digits, _ . : -', value);
  }
  return value;
}
