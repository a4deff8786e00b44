import type { Visibility } from './policy.js';

/**
 * The condition on a document's `clinicId` that keeps what a visibility shows; undefined when it
 * shows everything. Organization-level documents (`clinicId` null or absent) pass only an
 * org-wide visibility: `$nin` keeps them, `$in` of clinic ids does not.
 */
export function visibleClinicCondition(visibility: Visibility): { $in: string[] } | { $nin: string[] } | undefined {
  if (!visibility.all) return { $in: [...visibility.only] };
  return visibility.except.size > 0 ? { $nin: [...visibility.except] } : undefined;
}
