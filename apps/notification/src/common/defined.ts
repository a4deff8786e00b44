/**
 * A copy of a plain object tree without `undefined` properties. Documents written lean (without
 * Mongoose casting) would otherwise store them as `null`.
 */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => defined(item)) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) copy[key] = defined(item);
  return copy as T;
}
