export { BaseEnv, DataEnv, LOG_LEVELS, RedisEnv, toBoolean, toList } from './config/base.env.js';
export { ConfigError, type EnvClass, type EnvSource, loadConfig } from './config/config.loader.js';
export { ConfigModule } from './config/config.module.js';
export { currentConfigSource, withConfigSource } from './config/config-source.js';
export {
  AppError,
  type AppErrorOptions,
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationFailedError,
} from './errors/app-error.js';
export {
  type ErrorTranslator,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  codeForStatus,
  problemTypeFor,
  registerErrorTranslator,
  toProblem,
} from './errors/problem.js';
export { ProblemFilter, sendProblem } from './errors/problem.filter.js';
export { API_PREFIX, ApiController } from './http/api-controller.decorator.js';
export { ApiProblemResponses, FieldErrorDto, ProblemDto } from './http/problem.dto.js';
export { REQUEST_ID_HEADER, isValidRequestId, requestIdFor } from './http/request-id.js';
export { type OneShotCommand, OneShotCommands, UnknownCommandError, requestedCommand } from './lifecycle/one-shot-commands.js';
export { ShutdownState } from './lifecycle/shutdown-state.js';
export { LoggingModule } from './logging/logging.module.js';
export { REDACTED, SECRET_KEYS, createSecretRedactor, redactSecrets, redactUrl } from './logging/redaction.js';
export { PlatformModule, type PlatformOptions } from './platform.module.js';
export { type BootstrapOptions, type CreatedApp, bootstrap, createApp, runOneShotCommand, shutDownGracefully } from './bootstrap.js';
export { assertNoOperatorKeys, findOperatorKeys } from './validation/operator-keys.js';
export { createValidationPipe } from './validation/validation.pipe.js';
export { IS_PUBLIC, Public } from './http/public.decorator.js';
export { API_SECURITY_HEADER_OPTIONS, SECURITY_HEADER_OPTIONS, securityHeaders } from './http/security-headers.js';
