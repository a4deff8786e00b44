import { randomBytes } from 'node:crypto';
import type { Api } from './http.js';
import { linkToken, waitForMail } from './mail.js';

export interface Person {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  expiresIn: number;
}

function expectStatus(what: string, actual: number, expected: number, body: unknown): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}: ${JSON.stringify(body)}`);
}

export const uniqueEmail = (label: string) => `${label}.${randomBytes(6).toString('hex')}@e2e.dentalos.example`;
export const strongPassword = () => `tidy lagoon ${randomBytes(8).toString('hex')} orbit`;

export async function login(api: Api, email: string, password: string): Promise<TokenPair> {
  const response = await api.post<TokenPair>('/api/v1/auth/login', { email, password });
  expectStatus(`login ${email}`, response.status, 200, response.body);
  return response.body;
}

/**
 * A person as they arrive: register, open the verification mail from the real SMTP catcher,
 * verify, sign in. Every step goes through the gateway.
 */
export async function signUp(api: Api, label: string, extra: Record<string, string> = {}): Promise<Person> {
  const email = uniqueEmail(label);
  const password = strongPassword();
  const registered = await api.post<{ id: string }>('/api/v1/auth/register', { email, password, displayName: label, ...extra });
  expectStatus(`register ${email}`, registered.status, 201, registered.body);
  const mail = await waitForMail(email, /verify/i, 120_000);
  const verified = await api.post('/api/v1/auth/verify-email', { token: linkToken(mail) });
  expectStatus(`verify ${email}`, verified.status, 204, verified.body);
  const tokens = await login(api, email, password);
  return { id: registered.body.id, email, password, ...tokens };
}
