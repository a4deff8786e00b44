import { createPrivateKey } from 'node:crypto';
import { registerDecorator, type ValidationArguments } from 'class-validator';

export const KEY_STATUSES = ['active', 'next', 'previous'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** One entry of `JWT_SIGNING_KEYS`, as operators write it into the secret. */
export interface SigningKeyConfig {
  kid: string;
  privateKeyPem: string;
  status: KeyStatus;
}

/** Everything wrong with a parsed `JWT_SIGNING_KEYS` value; empty when it is usable. */
export function signingKeyProblems(value: unknown): string[] {
  if (typeof value === 'string') return ['must be a JSON array of { kid, privateKeyPem, status }'];
  if (!Array.isArray(value) || value.length === 0) return ['must be a non-empty JSON array of { kid, privateKeyPem, status }'];
  const problems: string[] = [];
  const kids = new Set<string>();
  value.forEach((entry: Partial<SigningKeyConfig> | null, index) => {
    const where = `entry ${index}`;
    if (!entry || typeof entry !== 'object') return problems.push(`${where} is not an object`);
    if (typeof entry.kid !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(entry.kid)) problems.push(`${where}: kid must be 1-64 of [A-Za-z0-9._-]`);
    else if (kids.has(entry.kid)) problems.push(`${where}: kid '${entry.kid}' is used twice`);
    else kids.add(entry.kid);
    if (!KEY_STATUSES.includes(entry.status as KeyStatus)) problems.push(`${where}: status must be one of ${KEY_STATUSES.join(', ')}`);
    const keyProblem = rsaKeyProblem(entry.privateKeyPem);
    if (keyProblem) problems.push(`${where}: privateKeyPem ${keyProblem}`);
    return undefined;
  });
  const active = value.filter((entry: Partial<SigningKeyConfig> | null) => entry?.status === 'active').length;
  if (active !== 1) problems.push(`exactly one key must have status 'active' (found ${active})`);
  return problems;
}

function rsaKeyProblem(pem: unknown): string | undefined {
  if (typeof pem !== 'string' || !pem.includes('PRIVATE KEY')) return 'must be a PEM private key';
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') return 'must be an RSA key (RS256)';
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return 'must be at least 2048 bits';
    return undefined;
  } catch {
    return 'is not a readable PEM private key';
  }
}

/** Parses the JSON text; a value that is not JSON stays a string so validation names it. */
export const parseSigningKeys = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** Validates the whole key set at start-up; the message lists each problem without any key material. */
export function IsSigningKeySet(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSigningKeySet',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => signingKeyProblems(value).length === 0,
        defaultMessage: (args?: ValidationArguments) => signingKeyProblems(args?.value).join('; '),
      },
    });
}
