import { ValidationFailedError } from '@dentalos/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { QueryFilter, Model, SortOrder } from 'mongoose';

/** Query fields every list accepts; each list adds its own filters and sort keys. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25, example: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (`nextCursor`).', example: 'eyJ2IjoiMjAyNi0wMS0wMSIsImkiOiJhIn0' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a value returned as nextCursor' })
  cursor?: string;
}

export class PageMetaDto {
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.', example: null })
  nextCursor: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface CursorPayload {
  /** Sort key the cursor was made for: a cursor from another sort order is refused. */
  s: string;
  v: string | number | boolean | null;
  d?: 1;
  i: string;
}

function invalidCursor(): ValidationFailedError {
  return new ValidationFailedError([{ field: 'cursor', constraint: 'cursor', message: 'cursor is not valid for this list and sort order' }]);
}

function decodeCursor(cursor: string, sortKey: string): { value: unknown; id: string } {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw invalidCursor();
  }
  const scalar = ['string', 'number', 'boolean'].includes(typeof payload?.v) || payload?.v === null;
  if (typeof payload !== 'object' || payload.s !== sortKey || typeof payload.i !== 'string' || !scalar) throw invalidCursor();
  if (payload.d) {
    const date = new Date(String(payload.v));
    if (Number.isNaN(date.getTime())) throw invalidCursor();
    return { value: date, id: payload.i };
  }
  return { value: payload.v, id: payload.i };
}

function encodeCursor(sortKey: string, value: unknown, id: string): string {
  const payload: CursorPayload =
    value instanceof Date ? { s: sortKey, v: value.toISOString(), d: 1, i: id } : { s: sortKey, v: (value ?? null) as CursorPayload['v'], i: id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export interface PageRequest {
  /** e.g. `name` or `-createdAt`; already checked against the list's allowed keys. */
  sort: string;
  limit?: number;
  cursor?: string;
}

/**
 * Keyset pagination over (sort field, _id): stable under concurrent inserts, no skip cost, and
 * the cursor is opaque so clients cannot steer the query.
 */
export async function findPage<T extends { _id: string }>(model: Model<T>, filter: QueryFilter<T>, request: PageRequest): Promise<Page<T>> {
  const descending = request.sort.startsWith('-');
  const field = descending ? request.sort.slice(1) : request.sort;
  const order: SortOrder = descending ? -1 : 1;
  const limit = request.limit ?? 25;
  const clauses: QueryFilter<T>[] = [filter];
  if (request.cursor) {
    const { value, id } = decodeCursor(request.cursor, request.sort);
    const op = descending ? '$lt' : '$gt';
    clauses.push({ $or: [{ [field]: { [op]: value } }, { [field]: value, _id: { [op]: id } }] } as QueryFilter<T>);
  }
  const rows = (await model
    .find(clauses.length === 1 ? filter : ({ $and: clauses } as QueryFilter<T>))
    .sort({ [field]: order, _id: order })
    .limit(limit + 1)
    .lean()
    .exec()) as unknown as T[];
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(request.sort, (last as Record<string, unknown>)[field], last._id) : null;
  return { items, nextCursor };
}
