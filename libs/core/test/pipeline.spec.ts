import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureModule, fixtureOptions } from './fixtures/fixture.module.js';
import { listen } from './listen.js';

let app: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  app = await listen(FixtureModule, fixtureOptions, { BODY_LIMIT_BYTES: '2048' });
});
afterAll(() => app.close());

const valid = { name: 'chair', email: 'a@example.com', quantity: 2, address: { city: 'Lyon' } };

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${app.url}/api/v1/things`, { method: 'POST', body, headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe('request pipeline', () => {
  it('accepts a valid body and transforms it to the DTO', async () => {
    const { response, body } = await post(JSON.stringify(valid));
    expect(response.status).toBe(201);
    expect(body).toEqual({ created: 'chair', quantityType: 'number' });
  });

  it('answers wrong types with problem+json naming each field, nested ones included', async () => {
    const { response, body } = await post(JSON.stringify({ ...valid, email: 'nope', quantity: '2', address: { city: 7 } }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ type: '/problems/validation-failed', status: 400, code: 'VALIDATION_FAILED', instance: '/api/v1/things' });
    const fields = (body.errors as { field: string; constraint: string }[]).map((e) => `${e.field}:${e.constraint}`);
    expect(fields).toEqual(expect.arrayContaining(['email:isEmail', 'quantity:isInt', 'address.city:isString']));
  });

  it('refuses unknown fields instead of dropping them', async () => {
    const { response, body } = await post(JSON.stringify({ ...valid, isAdmin: true }));
    expect(response.status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'isAdmin', constraint: 'whitelistValidation' })]);
  });

  it('refuses MongoDB operators and dotted keys anywhere in the body', async () => {
    const { response, body } = await post(JSON.stringify({ ...valid, name: { $gt: '' }, address: { 'a.b': 1 } }));
    expect(response.status).toBe(400);
    const fields = (body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name.$gt', 'address.a.b']));
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const { response, body } = await post('{"name": "chair",');
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect(body.requestId).toEqual(expect.any(String));
  });

  it('answers an oversized body with a 413 problem', async () => {
    const { response, body } = await post(JSON.stringify({ ...valid, name: 'x'.repeat(4096) }));
    expect(response.status).toBe(413);
    expect(body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers an unsupported media type with a 415 problem', async () => {
    const { response, body } = await post('<thing/>', { 'content-type': 'application/xml' });
    expect(response.status).toBe(415);
    expect(body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await fetch(`${app.url}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/api/v1/nothing-here' });
  });

  it('renders domain errors with their code and extensions', async () => {
    const response = await fetch(`${app.url}/api/v1/things/taken`);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'THING_TAKEN', holder: 'someone', type: '/problems/thing-taken' });
  });

  it('hides internals of unknown errors behind a 500 with the request id', async () => {
    const response = await fetch(`${app.url}/api/v1/things/boom`, { headers: { 'x-request-id': 'req-boom-12345' } });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toContain('secret internal detail');
    expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL_ERROR', requestId: 'req-boom-12345' });
  });

  it('keeps a valid x-request-id and replaces an invalid one', async () => {
    const kept = await fetch(`${app.url}/api/v1/things/1`, { headers: { 'x-request-id': 'abc-123-def-456' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123-def-456');
    const replaced = await fetch(`${app.url}/api/v1/things/1`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the API security headers on JSON responses and the page headers on Swagger UI', async () => {
    const api = await fetch(`${app.url}/api/v1/things/1`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    expect(api.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    const page = await fetch(`${app.url}/api-docs`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('records the route template, not the raw URL, with the status written after filters', async () => {
    await fetch(`${app.url}/api/v1/things/42`);
    await fetch(`${app.url}/api/v1/things/43`);
    await fetch(`${app.url}/api/v1/things/boom`);
    const lines = (await (await fetch(`${app.url}/metrics`)).text()).split('\n');
    const series = (name: string, ...labels: string[]) =>
      lines.filter((line) => line.startsWith(name) && labels.every((label) => line.includes(label)));
    const route = 'route="/api/v1/things/:id"';
    expect(series('http_server_request_duration_seconds_bucket', 'le="0.02"', route, 'status_code="200"', 'service="fixture"')).toHaveLength(1);
    const count = Number(series('http_server_request_duration_seconds_count', route, 'status_code="200"')[0]?.split(' ').pop());
    expect(count).toBeGreaterThanOrEqual(2);
    expect(series('http_server_requests_total', route, 'status_code="500"')).toHaveLength(1);
    expect(lines.some((line) => line.includes('route="/api/v1/things/42"'))).toBe(false);
    expect(series('http_server_requests_in_flight', 'service="fixture"')).toHaveLength(1);
    expect(series('process_cpu_user_seconds_total')).toHaveLength(1);
  });

  it('stops counting a request as in flight when its client goes away before the answer', async () => {
    const { port } = new URL(app.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('GET /api/v1/things/slow HTTP/1.1\r\nHost: fixture\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const inFlight = async () => {
      const line = (await (await fetch(`${app.url}/metrics`)).text()).split('\n').find((l) => l.startsWith('http_server_requests_in_flight'));
      return Number(line?.split(' ').pop());
    };
    expect(await inFlight()).toBe(2); // the slow request and this scrape
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await inFlight()).toBe(1);
    // A request answered in full is not counted again when its connection closes afterwards.
    const answered = connect(Number(port), '127.0.0.1');
    answered.write('GET /api/v1/things/9 HTTP/1.1\r\nHost: fixture\r\n\r\n');
    await new Promise((resolve) => answered.once('data', resolve));
    answered.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await inFlight()).toBe(1);
  });

  it('serves Swagger UI and the JSON spec', async () => {
    const ui = await fetch(`${app.url}/api-docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const spec = (await (await fetch(`${app.url}/api-docs-json`)).json()) as { info: { title: string }; paths: Record<string, unknown> };
    expect(spec.info.title).toBe('Fixture');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/things', '/api/v1/things/{id}']));
    expect(Object.keys(spec.paths)).not.toContain('/metrics');
  });
});
