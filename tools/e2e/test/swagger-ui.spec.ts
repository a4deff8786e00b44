import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from '../src/browser.js';
import { Api } from '../src/http.js';
import { type Person, signUp } from '../src/people.js';
import { type Stack, startStack, UPSTREAMS } from '../src/stack.js';

const RESULTS = join(import.meta.dirname, '../test-results');
/** The live response body Swagger UI prints (highlighted JSON), without the Download button. */
const RESPONSE_BODY = '.live-responses-table .response-col_description pre.microlight';

function operation(page: Page, method: string, path: string): Locator {
  return page.locator(`.opblock.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
}

/** Expands an operation, presses "Try it out" and "Execute", returns the live response's status and body. */
async function tryItOut(block: Locator): Promise<{ status: string; body: string }> {
  await block.locator('.opblock-summary').first().click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  await block.getByRole('button', { name: 'Execute' }).click();
  const live = block.locator('.live-responses-table .response');
  await live.first().waitFor({ timeout: 20_000 });
  const status = (await live.locator('.response-col_status').first().innerText()).trim();
  const body = await block.locator(RESPONSE_BODY).first().innerText();
  return { status, body };
}

describe('Swagger UI in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let person: Person;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    person = await signUp(new Api(stack.gatewayUrl), 'swagger');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    mkdirSync(RESULTS, { recursive: true });
  });

  afterAll(async () => {
    // The last page state, whatever happened, for whoever reads a failed run.
    await page?.screenshot({ path: join(RESULTS, 'swagger-ui-last.png'), fullPage: true }).catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it("lists every service's document in the explorer and renders its operations", async () => {
    await page.goto(`${stack.gatewayUrl}/api-docs`);
    const select = page.locator('.topbar select');
    await select.waitFor();
    const names = await select.locator('option').allInnerTexts();
    expect(names).toEqual(expect.arrayContaining([...UPSTREAMS]));
    for (const service of UPSTREAMS) {
      await select.selectOption({ label: service });
      await page.locator('.opblock').first().waitFor();
      const paths = await page.locator('.opblock-summary-path').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-path')));
      expect(paths.length, `${service} operations`).toBeGreaterThan(0);
      expect(paths.every((path) => path?.startsWith('/api/v1/') || path?.startsWith('/.well-known/')), `${service} paths`).toBe(true);
    }
  });

  it('runs "Try it out" on a public endpoint', async () => {
    await page.locator('.topbar select').selectOption({ label: 'user' });
    const jwks = operation(page, 'get', '/.well-known/jwks.json');
    await jwks.waitFor();
    const response = await tryItOut(jwks);
    expect(response.status).toBe('200');
    expect(JSON.parse(response.body)).toMatchObject({ keys: expect.arrayContaining([expect.objectContaining({ kty: 'RSA', alg: 'RS256' })]) });
  });

  it('authorizes with a token from a real login and runs an authorized endpoint', async () => {
    await page.locator('.topbar select').selectOption({ label: 'user' });
    const me = operation(page, 'get', '/api/v1/users/me');
    await me.waitFor();

    const unauthorized = await tryItOut(me);
    expect(unauthorized.status).toBe('401');

    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').first().fill(person.accessToken);
    // Swagger UI labels these for screen readers ("Apply credentials"), so match by class.
    await dialog.locator('button.authorize').click();
    await dialog.locator('button.btn-done').click();

    await me.getByRole('button', { name: 'Execute' }).click();
    await expect.poll(async () => (await me.locator('.live-responses-table .response .response-col_status').first().innerText()).trim(), { timeout: 20_000 }).toBe('200');
    const body = await me.locator(RESPONSE_BODY).first().innerText();
    expect(JSON.parse(body)).toMatchObject({ id: person.id, email: person.email });
    await page.screenshot({ path: join(RESULTS, 'swagger-ui-authorized.png'), fullPage: true });
  });
});
