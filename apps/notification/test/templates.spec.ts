import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const admin = (method: string, path: string, body?: unknown) => call(h.url, method, `/api/v1/templates${path}`, { token: h.adminToken, body });

const reminder = (key: string) => ({
  key,
  name: 'Appointment reminder',
  category: 'reminders',
  variables: ['name', 'when'],
  defaultLocale: 'en',
  variants: [
    {
      locale: 'en',
      email: { subject: 'Reminder for {{name}}', html: '<p>Hi {{name}}, see you {{when}}</p>', text: 'Hi {{name}}, see you {{when}}' },
      sms: { text: 'Hi {{name}}, see you {{when}}' },
      push: { title: 'Reminder', body: 'See you {{when}}', data: { when: '{{when}}' } },
    },
    { locale: 'de', email: { subject: 'Erinnerung für {{name}}', html: '<p>Hallo {{name}}, bis {{when}}</p>', text: 'Hallo {{name}}, bis {{when}}' } },
  ],
});

describe('templates', () => {
  it('creates, reads, lists and versions a template; an update based on an old version is a 409', async () => {
    const created = await admin('POST', '', reminder('reminder-a'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'reminder-a', version: 1, active: true, variables: ['name', 'when'] });
    expect((await admin('GET', '/reminder-a')).body).toMatchObject({ key: 'reminder-a', version: 1 });
    const { key: _key, ...content } = reminder('reminder-a');
    const updated = await admin('PUT', '/reminder-a', { ...content, name: 'Reminder v2', version: 1 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, name: 'Reminder v2' });
    const stale = await admin('PUT', '/reminder-a', { ...content, name: 'Lost update', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('TEMPLATE_VERSION_CONFLICT');
    const versions = await admin('GET', '/reminder-a/versions');
    expect((versions.body as unknown as { version: number; name: string }[]).map((v) => [v.version, v.name])).toEqual([
      [2, 'Reminder v2'],
      [1, 'Appointment reminder'],
    ]);
    const list = await admin('GET', '?category=reminders');
    expect((list.body as unknown as { key: string }[]).map((t) => t.key)).toContain('reminder-a');
    expect((await admin('POST', '', reminder('reminder-a'))).body.code).toBe('TEMPLATE_KEY_TAKEN');
  });

  it('renders every channel of a locale, falling back from de-CH to de and from fr to the default', async () => {
    await admin('POST', '', reminder('reminder-b'));
    const all = await admin('POST', '/reminder-b/render', { data: { name: 'Ada', when: 'Tuesday' } });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      locale: 'en',
      content: {
        email: { subject: 'Reminder for Ada', html: '<p>Hi Ada, see you Tuesday</p>', text: 'Hi Ada, see you Tuesday' },
        sms: { text: 'Hi Ada, see you Tuesday' },
        push: { title: 'Reminder', body: 'See you Tuesday', data: { when: 'Tuesday' } },
      },
    });
    const swiss = await admin('POST', '/reminder-b/render', { data: { name: 'Ada', when: 'Dienstag' }, locale: 'de-CH' });
    expect(swiss.body).toMatchObject({ locale: 'de', content: { email: { subject: 'Erinnerung für Ada' } } });
    const french = await admin('POST', '/reminder-b/render', { data: { name: 'Ada', when: 'mardi' }, locale: 'fr', channels: ['sms'] });
    expect(french.body).toMatchObject({ locale: 'en', content: { sms: { text: 'Hi Ada, see you mardi' } } });
  });

  it('escapes HTML in the HTML body only', async () => {
    await admin('POST', '', reminder('reminder-c'));
    const rendered = await admin('POST', '/reminder-c/render', { data: { name: '<script>x</script>', when: 'now' }, channels: ['email'] });
    const email = (rendered.body.content as { email: { html: string; text: string } }).email;
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.text).toContain('<script>x</script>');
  });

  it('names a missing or an extra variable in a 422', async () => {
    await admin('POST', '', reminder('reminder-d'));
    const missing = await admin('POST', '/reminder-d/render', { data: { name: 'Ada' } });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'TEMPLATE_VARIABLE_MISSING', errors: [{ field: 'data.when' }] });
    const extra = await admin('POST', '/reminder-d/render', { data: { name: 'Ada', when: 'now', admin: true } });
    expect(extra.status).toBe(422);
    expect(extra.body).toMatchObject({ code: 'TEMPLATE_VARIABLE_UNKNOWN', errors: [{ field: 'data.admin' }] });
  });

  it('refuses a body that uses an undeclared variable, helpers, partials or prototype access', async () => {
    const base = reminder('bad');
    const withText = (text: string) => ({ ...base, variants: [{ locale: 'en', sms: { text } }] });
    const cases: [string, string][] = [
      ['Hi {{name}} {{secret}}', 'undeclared variable(s): secret'],
      ['{{lookup name "constructor"}}', 'helpers are not allowed'],
      ['{{> evil}}', 'PartialStatement is not allowed'],
      ['{{name.constructor}}', "'name.constructor' is not allowed"],
      ['{{#each name}}{{this.__proto__}}{{/each}}', "'this.__proto__' is not allowed"],
      ['{{#customHelper name}}x{{/customHelper}}', "only {{#if}}"],
      ['{{#if name}}unclosed', 'Parse error'],
    ];
    for (const [text, message] of cases) {
      const response = await admin('POST', '', withText(text));
      expect(response.status, text).toBe(422);
      expect(response.body.code, text).toBe('TEMPLATE_INVALID');
      expect(String(response.body.detail), text).toContain(message);
    }
  });

  it('cannot reach prototype properties from data at render time', async () => {
    await admin('POST', '', { ...reminder('proto'), variables: ['name', 'when'], variants: [{ locale: 'en', sms: { text: '{{#with name}}[{{toString}}]{{/with}} {{when}}' } }] });
    const rendered = await admin('POST', '/proto/render', { data: { name: { a: 1 }, when: 'x' } });
    // The inherited method is neither called nor printed: prototype access is off.
    expect(rendered.status).toBe(200);
    expect(rendered.body.content).toEqual({ sms: { text: '[] x' } });
  });

  it('checks the rendered SMS length', async () => {
    await admin('POST', '', { ...reminder('long-sms'), variants: [{ locale: 'en', sms: { text: '{{name}} {{when}}' } }] });
    const response = await admin('POST', '/long-sms/render', { data: { name: 'x'.repeat(1600), when: 'now' } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'SMS_TOO_LONG', length: 1604, limit: 1600 });
  });

  it('activates, deactivates and deletes; unknown templates are 404', async () => {
    await admin('POST', '', reminder('toggle'));
    expect((await admin('POST', '/toggle/deactivate')).body.active).toBe(false);
    expect((await admin('POST', '/toggle/activate')).body.active).toBe(true);
    expect((await admin('DELETE', '/toggle')).status).toBe(204);
    const gone = await admin('GET', '/toggle');
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('validates the body (400 with fields) and requires an operator token', async () => {
    const invalid = await admin('POST', '', { ...reminder('Bad Key'), variables: ['1x'], variants: [] });
    expect(invalid.status).toBe(400);
    const fields = (invalid.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['key', 'variables', 'variants']));
    expect((await call(h.url, 'GET', '/api/v1/templates')).status).toBe(401);
    const user = await h.issuer.sign({ sub: 'someone' });
    expect((await call(h.url, 'GET', '/api/v1/templates', { token: user })).status).toBe(403);
  });

  it('seeds the system templates the event handlers use', async () => {
    const list = await call<{ key: string }[]>(h.url, 'GET', '/api/v1/templates?limit=200', { token: h.adminToken });
    const keys = list.body.map((t) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['welcome', 'email-verification', 'password-reset', 'password-changed', 'assignment-created']));
  });
});
