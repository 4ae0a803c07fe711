import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import { startFlakyNetwork } from './flaky-network.js';
import { pauseClock, waitLive } from './page-model.js';

const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

// The page's clock moves in steps this long; after each, the test waits for the handshake a
// fired timer began to succeed or fail, as real time would let it.
const STEP_MS = 250;
const GRACE_MS = 5000;

/** A page live in `room` through a network the test can cut, its clock standing still. */
const livePage = async (room: string, token?: string) => {
  const network = stopLater(await startFlakyNetwork(server.wsUrl));
  const url = `${server.pageUrl({ room, name: 'listener' })}${token ? `#token=${token}` : ''}`;
  const { page, watch } = await browser.open(url, { webSocketUrl: network.wsUrl });
  await waitLive(page);
  await pauseClock(page);
  return { network, page, watch };
};

/**
 * Records the page's time at each socket it opens, and makes its jitter the longest it can be,
 * so the waits between tries are the longest the page allows.
 */
const recordAttempts = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      WebSocket: new (...args: unknown[]) => object;
      __attempts: number[];
      Math: { random: () => number };
    };
    const Original = g.WebSocket;
    g.__attempts = [];
    g.Math.random = () => 0.999;
    g.WebSocket = class extends Original {
      constructor(...args: unknown[]) {
        super(...args);
        g.__attempts.push(Date.now());
      }
    };
  });
const attempts = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __attempts: number[] }).__attempts);
const pageNow = (page: Page) => page.evaluate(() => Date.now());

/** Moves the page's clock on by `ms`, a step at a time, letting each handshake settle. */
const advance = async (page: Page, ms: number, until?: () => Promise<boolean>) => {
  for (let done = 0; done < ms; done += STEP_MS) {
    await page.clock.runFor(STEP_MS);
    await page.locator('#status:not([data-state="connecting"])').waitFor({ state: 'attached' });
    if (until && (await until())) return;
  }
};
const isLive = (page: Page) => page.locator('#status[data-state="live"]').count().then(Boolean);
const banner = (page: Page) => page.locator('#link-banner').textContent();
const alerts = (page: Page) => page.locator('[role="alert"]:visible').count();

describe('reconnecting calmly', () => {
  it('keeps every retry within 10 s through a long outage of a server it was live on, and is live soon after it returns', async () => {
    const { network, page } = await livePage('steady');
    await recordAttempts(page);
    network.cut();
    await page.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    const cutAt = await pageNow(page);
    await advance(page, 90_000);

    const times = [cutAt, ...(await attempts(page))];
    const waits = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(waits.length).toBeGreaterThanOrEqual(10);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(10_000 + STEP_MS);

    network.restore();
    const backAt = await pageNow(page);
    await advance(page, 11_000, () => isLive(page));
    expect(await isLive(page)).toBe(true);
    expect((await pageNow(page)) - backAt).toBeLessThanOrEqual(10_000 + STEP_MS);
  });

  it('says nothing for the first seconds of a drop, then that the server cannot be reached, with no word of a sign-in', async () => {
    const { network, page, watch } = await livePage('quiet');
    network.cut();
    await page.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await advance(page, GRACE_MS - 2 * STEP_MS);
    expect(await banner(page)).toBe('');
    expect(await alerts(page)).toBe(0);
    expect(await page.locator('#notice').isVisible()).toBe(false);

    await advance(page, 2 * STEP_MS);
    const host = new URL(server.wsUrl).hostname;
    expect(await banner(page)).toMatch(
      new RegExp(`^The chat server \\(${host}:\\d+\\) cannot be reached\\. Still trying…$`),
    );
    expect(await page.locator('#link-banner').getAttribute('role')).toBe('status');
    expect(await alerts(page)).toBe(0);
    await advance(page, 30_000);
    expect(await page.locator('#chat-view').textContent()).not.toMatch(/sign-in|token/i);

    network.restore();
    await advance(page, 11_000, () => isLive(page));
    expect(await banner(page)).toBe('');
    expect(await page.locator('#link-banner').isVisible()).toBe(false);
    expect(watch.errors).toEqual([]);
  });

  it('mentions the sign-in once the grace is over only when it holds a token', async () => {
    const token = await new SignJWT({ name: 'listener' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode('any secret: this server does not check sign-ins'));
    const { network, page } = await livePage('signed-in', token);
    network.cut();
    await page.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await advance(page, GRACE_MS + STEP_MS);
    expect(await banner(page)).toMatch(
      /cannot be reached, or did not accept the sign-in this page holds\. If your sign-in has expired, open the chat again from the page that signed you in\. Still trying…$/,
    );
    expect(await alerts(page)).toBe(0);
  });

  it('hides Retry now while the browser is offline and says it is offline once the grace is over', async () => {
    const { page } = await livePage('offline');
    await page.context().setOffline(true);
    await page.locator('#status[data-state="offline"]').waitFor({ state: 'attached' });
    expect(await page.locator('#retry-now').isVisible()).toBe(false);
    await advance(page, GRACE_MS + STEP_MS);
    expect(await banner(page)).toBe(
      'You are offline. Messages you write are sent once you are back online.',
    );
    expect(await page.locator('#retry-now').isVisible()).toBe(false);
    expect(await alerts(page)).toBe(0);

    await page.context().setOffline(false);
    await advance(page, 11_000, () => isLive(page));
    expect(await isLive(page)).toBe(true);
    expect(await banner(page)).toBe('');
  });
});
