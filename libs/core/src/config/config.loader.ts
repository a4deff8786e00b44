import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

export type EnvSource = Record<string, string | undefined>;
export type EnvClass<T> = new () => T;

/** Start-up stops with this error; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function declaredKeys(target: EnvClass<unknown>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

function describe(error: ValidationError): string {
  const constraints = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}: ${constraints}`;
}

/** Reads only the variables the class declares, converts and validates them once. */
export function loadConfig<T extends object>(target: EnvClass<T>, source: EnvSource = process.env): T {
  const plain: Record<string, string> = {};
  for (const key of declaredKeys(target)) {
    const value = source[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(target, plain);
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(errors.map(describe));
  return Object.freeze(config);
}
