import { AppError, ConflictError, NotFoundError } from '@dentalos/core';
import type { ScheduleConflict } from './schedule/schedule-overlap.js';

export class AssignmentConflictError extends ConflictError {
  constructor(conflict: ScheduleConflict) {
    super(
      'ASSIGNMENT_CONFLICT',
      `The provider already works at clinic '${conflict.clinicId}' from ${conflict.interval.start} to ${conflict.interval.end} (${conflict.date}).`,
      { conflict },
    );
  }
}

export class AssignmentNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Assignment', id);
  }
}

export class RoleNotInCatalogueError extends AppError {
  constructor(role: string, catalogue: string[]) {
    super(422, 'ROLE_NOT_IN_CATALOGUE', `Role '${role}' is not offered by this clinic (offered: ${catalogue.join(', ') || 'none'}).`, {
      extensions: { role, catalogue },
    });
  }
}

export class AssignmentEndedError extends ConflictError {
  constructor() {
    super('ASSIGNMENT_ENDED', 'The assignment has already ended.');
  }
}

export class ScheduleBusyError extends AppError {
  constructor() {
    super(503, 'SCHEDULE_BUSY', "The provider's schedule is being changed by many requests; retry shortly.", { headers: { 'retry-after': '1' } });
  }
}
