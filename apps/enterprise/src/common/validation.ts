import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { isIanaTimeZone, isRealDate } from '../assignments/schedule/zoned-time.js';

type Doc = ApiPropertyOptions & { optional?: boolean };

function documented(doc: Doc): PropertyDecorator {
  const { optional, ...rest } = doc;
  return optional ? applyDecorators(ApiPropertyOptional(rest as ApiPropertyOptions), IsOptional()) : ApiProperty(rest as ApiPropertyOptions);
}

/** A trimmed-length plain string with its Swagger schema. */
export function Text(min: number, max: number, doc: Doc): PropertyDecorator {
  return applyDecorators(documented({ minLength: min, maxLength: max, type: String, ...doc }), IsString(), MinLength(min), MaxLength(max));
}

export function OneOf(values: readonly string[], doc: Doc): PropertyDecorator {
  return applyDecorators(documented({ enum: [...values], ...doc }), IsIn([...values]));
}

/** A sort parameter: one of the given keys, `-` prefix for descending. */
export function SortKeys(keys: readonly string[], fallback: string): PropertyDecorator {
  const values = keys.flatMap((key) => [key, `-${key}`]);
  return applyDecorators(documented({ optional: true, enum: values, default: fallback, example: fallback }), IsIn(values));
}

/** A property check from a predicate, with the message it fails with unless the caller gives one. */
function checkedBy(name: string, message: string, validate: (value: unknown) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator => ValidateBy({ name, validator: { validate, defaultMessage: () => message } }, options);
}

export const IsTimeZone = checkedBy('isTimeZone', '$property must be an IANA time zone such as Europe/Paris', (value) => typeof value === 'string' && isIanaTimeZone(value));

export const IsCalendarDate = checkedBy('isCalendarDate', '$property must be a real date as YYYY-MM-DD', (value) => typeof value === 'string' && isRealDate(value));

/** RFC 3339 `date-time`: seconds required, offset `Z` or `±HH:MM`; the date part is checked on its own. */
const RFC3339_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

/**
 * An instant the service can store as it was meant: an RFC 3339 date-time, or a calendar date
 * (midnight UTC). ISO 8601 forms such as week (`2026-W01-1`) or ordinal (`2026-001`) dates, and
 * impossible days that `Date` silently rolls over (`2026-02-30`), are refused: they would be
 * stored as another instant or as an invalid date that every comparison ignores.
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const datePart = isRealDate(value) ? value : RFC3339_DATE_TIME.exec(value)?.[1];
  return datePart !== undefined && isRealDate(datePart) && !Number.isNaN(Date.parse(value));
}

export const IsInstant = checkedBy('isInstant', '$property must be an RFC 3339 date-time such as 2026-08-03T00:00:00+02:00, or a date as YYYY-MM-DD', isInstant);

export const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function TimeOfDay(doc: Doc): PropertyDecorator {
  return applyDecorators(documented({ type: String, pattern: TIME_OF_DAY.source, ...doc }), IsString(), Matches(TIME_OF_DAY, { message: '$property must be HH:mm (00:00-24:00)' }));
}
