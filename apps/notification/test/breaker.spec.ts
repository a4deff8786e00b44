import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate, getNotification, newRecipient, send } from './support/api.js';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  // Two attempts each, breaker judged over 4 calls and kept open for the whole test.
  h = await startHarness({ DELIVERY_RETRY_DELAYS_MS: '50', PROVIDER_BREAKER_MIN_CALLS: '4', PROVIDER_BREAKER_OPEN_MS: '60000', SMS_CONCURRENCY: '1' });
  await createTemplate(h, 'sms-only', 'reminders', ['sms']);
});
afterAll(() => h?.close());

describe('provider circuit breaker', () => {
  it('opens after transient failures and stops calling the provider', async () => {
    const userId = await newRecipient(h);
    h.twilio.script(...Array.from({ length: 50 }, () => ({ status: 503, body: { message: 'down' } })));
    const ids: string[] = [];
    for (let index = 0; index < 10; index += 1) ids.push((await send(h, { userId, template: 'sms-only', data: { name: `n${index}` } })).body.id);
    const settled = await waitFor(async () => {
      const all = await Promise.all(ids.map((id) => getNotification(h, id)));
      return all.every((n) => n.channels.sms!.status === 'dead_lettered') ? all : undefined;
    });
    // Four calls reached Twilio; the breaker answered the rest without a network call.
    expect(h.twilio.requests.length).toBe(4);
    const broken = settled.filter((n) => n.channels.sms!.lastResponse!.message.startsWith('BrokenCircuitError'));
    expect(broken.length).toBeGreaterThanOrEqual(6);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('resilience_circuit_state{policy="notification-twilio",state="open",service="notification"} 1');
  });
});
