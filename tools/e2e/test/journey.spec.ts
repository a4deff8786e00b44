import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentBody, type Clinic, createClinic, createOrganization, type Organization } from '../src/fixtures.js';
import { Api } from '../src/http.js';
import { linkToken, mailsTo, waitForMail } from '../src/mail.js';
import { login, type Person, signUp, strongPassword } from '../src/people.js';
import { type Stack, startStack } from '../src/stack.js';

/**
 * A clinic group's first day, as its people meet the platform: every call goes through the
 * gateway, every mail is read from the real SMTP catcher.
 */
describe('journey through the gateway', () => {
  let stack: Stack;
  let api: Api;
  let owner: Person;
  let provider: Person;
  let manager: Person;
  let org: Organization;
  let paris: Clinic;
  let newYork: Clinic;

  beforeAll(async () => {
    stack = await startStack();
    api = new Api(stack.gatewayUrl);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('registers, verifies the emailed link and signs in', async () => {
    owner = await signUp(api, 'owner');
    const me = await api.get<{ id: string; email: string; emailVerified: boolean }>('/api/v1/users/me', { token: owner.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: owner.id, email: owner.email, emailVerified: true });
    await waitForMail(owner.email, /welcome/i);
  });

  it('refuses a verification token a second time', async () => {
    const mail = await waitForMail(owner.email, /verify/i);
    const again = await api.post('/api/v1/auth/verify-email', { token: linkToken(mail) });
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('creates an organization and two clinics in different time zones', async () => {
    org = await createOrganization(api, owner.accessToken, 'journey');
    paris = await createClinic(api, owner.accessToken, org.id, 'Paris Rivoli', 'Europe/Paris', 'FR');
    newYork = await createClinic(api, owner.accessToken, org.id, 'New York Soho', 'America/New_York', 'US');
    const list = await api.get<{ items: Clinic[] }>(`/api/v1/organizations/${org.id}/clinics`, { token: owner.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((clinic) => [clinic.name, clinic.timeZone]).sort()).toEqual([
      ['New York Soho', 'America/New_York'],
      ['Paris Rivoli', 'Europe/Paris'],
    ]);
  });

  it('assigns a provider, who gets the welcome and the assignment mails', async () => {
    provider = await signUp(api, 'provider');
    await waitForMail(provider.email, /welcome/i);
    const created = await api.post(`/api/v1/organizations/${org.id}/assignments`, assignmentBody(provider.id, paris.id, '09:00', '13:00'), {
      token: owner.accessToken,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const mail = await waitForMail(provider.email, /assigned/i);
    expect(mail.subject).toContain('Paris Rivoli');
  });

  it('refuses an assignment that overlaps in absolute time across time zones with 409', async () => {
    // 03:00-07:00 in New York is 08:00-12:00 UTC in winter and 07:00-11:00 UTC in summer:
    // inside Paris's 09:00-13:00 on the same Monday whatever the DST state on either side.
    const conflicting = await api.post(`/api/v1/organizations/${org.id}/assignments`, assignmentBody(provider.id, newYork.id, '03:00', '07:00'), {
      token: owner.accessToken,
    });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body).toMatchObject({ status: 409, code: 'ASSIGNMENT_CONFLICT' });
    const list = await api.get<{ items: unknown[] }>(`/api/v1/organizations/${org.id}/assignments?providerId=${provider.id}`, { token: owner.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('lets a clinic manager of Paris see Paris but not New York', async () => {
    manager = await signUp(api, 'manager');
    const binding = await api.post(`/api/v1/organizations/${org.id}/bindings`, { userId: manager.id, role: 'clinic-manager', clinicId: paris.id }, { token: owner.accessToken });
    expect(binding.status, JSON.stringify(binding.body)).toBe(201);

    const own = await api.get<Clinic>(`/api/v1/organizations/${org.id}/clinics/${paris.id}`, { token: manager.accessToken });
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('Paris Rivoli');

    const other = await api.get(`/api/v1/organizations/${org.id}/clinics/${newYork.id}`, { token: manager.accessToken });
    expect([403, 404]).toContain(other.status);
    expect(JSON.stringify(other.body)).not.toContain('New York Soho');

    const list = await api.get<{ items?: Clinic[] }>(`/api/v1/organizations/${org.id}/clinics`, { token: manager.accessToken });
    expect(JSON.stringify(list.body)).not.toContain('New York Soho');
  });

  it('rotates refresh tokens and ends the session when an old one is replayed', async () => {
    const first = await login(api, owner.email, owner.password);
    const rotated = await api.post<{ refreshToken: string; accessToken: string }>('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first.refreshToken);

    const replay = await api.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'INVALID_GRANT' });
    // Reuse revokes the whole session: the legitimate newest token is dead too.
    const newest = await api.post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(newest.status).toBe(401);
    await waitForMail(owner.email, /security alert/i);
  });

  it('resets the password and revokes every session', async () => {
    const other = await login(api, owner.email, owner.password);
    const requested = await api.post('/api/v1/auth/password-reset/request', { email: owner.email });
    expect(requested.status).toBe(202);
    const mail = await waitForMail(owner.email, /reset your/i);
    const newPassword = strongPassword();
    const confirmed = await api.post('/api/v1/auth/password-reset/confirm', { token: linkToken(mail), newPassword });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(204);

    for (const refreshToken of [owner.refreshToken, other.refreshToken]) {
      const refreshed = await api.post('/api/v1/auth/refresh', { refreshToken });
      expect(refreshed.status).toBe(401);
    }
    expect((await api.post('/api/v1/auth/login', { email: owner.email, password: owner.password })).status).toBe(401);
    const fresh = await login(api, owner.email, newPassword);
    const sessions = await api.get<{ id: string }[] | { items: { id: string }[] }>('/api/v1/users/me/sessions', { token: fresh.accessToken });
    expect(sessions.status).toBe(200);
    const ids = (Array.isArray(sessions.body) ? sessions.body : sessions.body.items).map((session) => session.id);
    expect(ids).toEqual([fresh.sessionId]);
    await waitForMail(owner.email, /password was changed/i);
    expect((await mailsTo(owner.email)).length).toBeGreaterThanOrEqual(5);
  });
});
