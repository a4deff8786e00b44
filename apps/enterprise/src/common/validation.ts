import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, registerDecorator, type ValidationOptions } from 'class-validator';
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

export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone such as Europe/Paris', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isIanaTimeZone(value) },
    });
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a real date as YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isRealDate(value) },
    });
}

export const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function TimeOfDay(doc: Doc): PropertyDecorator {
  return applyDecorators(documented({ type: String, pattern: TIME_OF_DAY.source, ...doc }), IsString(), Matches(TIME_OF_DAY, { message: '$property must be HH:mm (00:00-24:00)' }));
}
