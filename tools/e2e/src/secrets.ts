import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

export interface StackSecrets {
  /** JSON array of `{kid, privateKeyPem, status}` as the user service reads it. */
  JWT_SIGNING_KEYS: string;
  EVENT_SEALING_KEY: string;
  WEBHOOK_SECRET: string;
}

function privateKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Fresh secrets for one run: nothing from the repository or the developer's stack is reused. */
export function generateSecrets(): StackSecrets {
  const keys = [
    { kid: randomUUID(), privateKeyPem: privateKeyPem(), status: 'active' },
    { kid: randomUUID(), privateKeyPem: privateKeyPem(), status: 'next' },
  ];
  return {
    JWT_SIGNING_KEYS: JSON.stringify(keys),
    EVENT_SEALING_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_SECRET: randomBytes(24).toString('hex'),
  };
}
