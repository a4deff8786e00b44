import { NotFoundError, ServiceUnavailableError } from '@dentalos/core';

export class UnknownServiceSpecError extends NotFoundError {
  constructor(service: string) {
    super('API document', service);
  }
}

export class SpecUnavailableError extends ServiceUnavailableError {
  constructor(service: string) {
    super('API_DOCS_UNAVAILABLE', `The ${service} service's API document has not been fetched yet and the service is not answering.`, 5);
  }
}
