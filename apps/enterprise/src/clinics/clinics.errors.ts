import { AppError, ConflictError, NotFoundError } from '@dentalos/core';

export class ClinicNotFoundError extends NotFoundError {
  constructor(clinicId: string) {
    super('Clinic', clinicId);
  }
}

export class ClinicCodeTakenError extends ConflictError {
  constructor(code: string) {
    super('CLINIC_CODE_TAKEN', `Another clinic of this organization already uses code '${code}'.`, { code });
  }
}

export class ClinicNotActiveError extends ConflictError {
  constructor(status: string) {
    super('CLINIC_NOT_ACTIVE', `The clinic is ${status}; this change needs an active clinic.`, { status });
  }
}

export class InvalidScheduleError extends AppError {
  constructor(field: string, message: string) {
    super(400, 'VALIDATION_FAILED', 'The request is not valid; see errors[] for each field.', { errors: [{ field, constraint: 'schedule', message }] });
  }
}
