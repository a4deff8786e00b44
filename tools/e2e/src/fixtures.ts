import { randomBytes } from 'node:crypto';
import type { Api } from './http.js';

export interface Organization {
  id: string;
  name: string;
  slug: string;
}

export interface Clinic {
  id: string;
  name: string;
  code: string;
  timeZone: string;
}

function expectCreated<T>(what: string, response: { status: number; body: T }): T {
  if (response.status !== 201) throw new Error(`${what}: expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createOrganization(api: Api, token: string, label: string): Promise<Organization> {
  const suffix = randomBytes(4).toString('hex');
  const response = await api.post<Organization>('/api/v1/organizations', { name: `${label} Dental ${suffix}`, slug: `${label}-${suffix}`, tier: 'professional' }, { token });
  return expectCreated('create organization', response);
}

export async function createClinic(api: Api, token: string, orgId: string, name: string, timeZone: string, country: string): Promise<Clinic> {
  const code = `C${randomBytes(3).toString('hex').toUpperCase()}`;
  const response = await api.post<Clinic>(
    `/api/v1/organizations/${orgId}/clinics`,
    { name, code, timeZone, address: { line1: '1 Main Street', city: name, postalCode: '10001', country } },
    { token },
  );
  return expectCreated('create clinic', response);
}

/** Next week's Monday (UTC calendar day), so schedules always start in the future. */
export function nextMonday(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + ((8 - day.getUTCDay()) % 7 || 7));
  return day.toISOString().slice(0, 10);
}

/** Open-ended Monday slots, clinic-local time. */
export function assignmentBody(providerId: string, clinicId: string, start: string, end: string) {
  return { providerId, clinicId, role: 'dentist', from: nextMonday(), slots: [{ day: 1, start, end }] };
}
