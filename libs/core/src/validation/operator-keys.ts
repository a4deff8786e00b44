import { type FieldError, ValidationFailedError } from '../errors/app-error.js';

const MAX_DEPTH = 32;

/**
 * Keys that MongoDB would read as operators (`$gt`, `$where`) or paths (`a.b`) never come from
 * clients, whatever the DTO says; refusing them here makes operator injection impossible even in
 * free-form objects.
 */
export function findOperatorKeys(value: unknown, path = '', found: FieldError[] = [], depth = 0): FieldError[] {
  if (depth > MAX_DEPTH) {
    found.push({ field: path || '(body)', constraint: 'maxDepth', message: `nesting deeper than ${MAX_DEPTH} levels` });
    return found;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => findOperatorKeys(item, `${path}[${index}]`, found, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (key.startsWith('$') || key.includes('.') || key === '__proto__') {
        found.push({ field, constraint: 'noOperatorKeys', message: `key '${key}' is not allowed` });
      } else {
        findOperatorKeys(child, field, found, depth + 1);
      }
    }
  }
  return found;
}

export function assertNoOperatorKeys(body: unknown): void {
  const found = findOperatorKeys(body);
  if (found.length > 0) throw new ValidationFailedError(found, 'The body contains keys that are not allowed.');
}
