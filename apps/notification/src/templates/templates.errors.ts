import { AppError, ConflictError, NotFoundError } from '@dentalos/core';

export class TemplateNotFoundError extends NotFoundError {
  constructor(key: string) {
    super('Template', key);
  }
}

export class TemplateKeyTakenError extends ConflictError {
  constructor(key: string) {
    super('TEMPLATE_KEY_TAKEN', `A template with key '${key}' already exists.`, { key });
  }
}

export class TemplateVersionConflictError extends ConflictError {
  constructor(key: string, expected: number) {
    super('TEMPLATE_VERSION_CONFLICT', `Template '${key}' is no longer at version ${expected}; read it again.`, { key, expected });
  }
}

export class TemplateInactiveError extends AppError {
  constructor(key: string) {
    super(422, 'TEMPLATE_INACTIVE', `Template '${key}' is deactivated.`, { extensions: { key } });
  }
}

/** A body that does not compile, uses a forbidden construct or an undeclared variable. */
export class TemplateSyntaxError extends AppError {
  constructor(field: string, detail: string) {
    super(422, 'TEMPLATE_INVALID', `${field}: ${detail}`, { errors: [{ field, constraint: 'template', message: detail }] });
  }
}

export class TemplateVariableMissingError extends AppError {
  constructor(names: string[]) {
    super(422, 'TEMPLATE_VARIABLE_MISSING', `Missing template variable(s): ${names.join(', ')}.`, {
      errors: names.map((name) => ({ field: `data.${name}`, constraint: 'required', message: `${name} is declared by the template and must be given` })),
    });
  }
}

export class TemplateVariableUnknownError extends AppError {
  constructor(names: string[]) {
    super(422, 'TEMPLATE_VARIABLE_UNKNOWN', `Unknown template variable(s): ${names.join(', ')}.`, {
      errors: names.map((name) => ({ field: `data.${name}`, constraint: 'declared', message: `${name} is not declared by the template` })),
    });
  }
}

export class TemplateChannelMissingError extends AppError {
  constructor(key: string, channel: string) {
    super(422, 'TEMPLATE_CHANNEL_MISSING', `Template '${key}' has no ${channel} content.`, { extensions: { key, channel } });
  }
}

export class SmsTooLongError extends AppError {
  constructor(length: number, limit: number) {
    super(422, 'SMS_TOO_LONG', `The rendered SMS is ${length} characters; the limit is ${limit}.`, { extensions: { length, limit } });
  }
}
