import { describe, expect, it } from 'vitest';
import { useBrowser } from '../../client/browser.js';
import { openClient } from '../fixtures/clients.js';
import { startEmulator } from '../fixtures/emulator.js';

const PRINTER = 'test/local/fixtures/emf-printer.ts#handler';

const browser = useBrowser();

describe('the dashboard page in Chromium', () => {
  it('draws the invocations chart and updates it as a client sends', async () => {
    const emulator = await startEmulator(PRINTER);
    const { page, watch } = await browser.open(emulator.dashboardUrl);
    const invocations = page.locator('[data-panel="invocations"]');
    await expect.poll(() => invocations.locator('.legend').textContent()).toBe('none yet');

    const client = await openClient(emulator.wsUrl);
    const sent = invocations.locator('[data-line="sendmessage"] .value');
    client.send(JSON.stringify({ action: 'sendmessage', message: 'one' }));
    await expect.poll(() => sent.textContent(), { timeout: 15_000 }).toBe('1');
    client.send(JSON.stringify({ action: 'sendmessage', message: 'two' }));
    client.send(JSON.stringify({ action: 'sendmessage', message: 'three' }));
    await expect.poll(() => sent.textContent(), { timeout: 15_000 }).toBe('3');

    // Each route is drawn as a line, and the time chart shows the handler's 4 ms.
    expect(await invocations.locator('path.series').count()).toBe(2);
    const p50 = page.locator('[data-panel="duration"] [data-line="sendmessage p50"] .value');
    expect(await p50.textContent()).toBe('4 ms');
    expect(watch.errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });

  it('says when it cannot reach the emulator, and carries on once it can', async () => {
    const emulator = await startEmulator(PRINTER);
    const { page, watch } = await browser.open(emulator.dashboardUrl);
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 10_000 })
      .toMatch(/^Updated /);
    await page.route('**/dashboard/data*', (route) => route.abort());
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 10_000 })
      .toMatch(/^Cannot reach the emulator/);
    await page.unroute('**/dashboard/data*');
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 10_000 })
      .toMatch(/^Updated /);
    expect(watch.errors).toEqual([]);
  });
});
