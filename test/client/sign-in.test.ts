import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { dropSocket, say, shownMessages, waitForText, waitLive } from './page-model.js';
import { startWsRecorder, type WsRecorder } from './ws-recorder.js';
import { startWsRelay, type WsRelay } from './ws-relay.js';

const SECRET = 'browser-sign-in-test-secret';
const { server, browser } = useChatPages({ CONNECT_JWT_SECRET: SECRET });
let recorder: WsRecorder | undefined;
let relay: WsRelay | undefined;

afterEach(async () => {
  await recorder?.stop();
  await relay?.stop();
  recorder = undefined;
  relay = undefined;
});

/** An HS256 token for `name`, valid from now for `seconds` (negative: already expired). */
const tokenFor = (name: string, seconds = 600) =>
  new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`user-${name}`)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(SECRET));

/** The subprotocol that carries a token: `token.` and its UTF-8 bytes in base64url, unpadded. */
const tokenProtocol = (token: string) => `token.${Buffer.from(token).toString('base64url')}`;

/** Where the page could have kept a token: storage, the address bar and the document. */
const tokenPlaces = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      localStorage: { length: number; key(i: number): string | null; getItem(k: string): string };
      sessionStorage: { getItem(key: string): string | null };
      location: { href: string };
      document: { documentElement: { outerHTML: string } };
    };
    const local = Array.from({ length: g.localStorage.length }, (_, i) => {
      const key = g.localStorage.key(i) ?? '';
      return `${key}=${g.localStorage.getItem(key)}`;
    });
    return {
      local: local.join('\n'),
      session: g.sessionStorage.getItem('chat:token'),
      href: g.location.href,
      html: g.document.documentElement.outerHTML,
    };
  });

const notice = (page: Page) => page.locator('#notice-text');

/** The subprotocol that carries the page's key, as it keeps it in localStorage. */
const keyProtocol = async (page: Page) =>
  `key.${await page.evaluate(() => (globalThis as unknown as { localStorage: Storage }).localStorage.getItem('chat.key'))}`;

describe('signing in with a token from the hosting page', () => {
  it('offers the token as a subprotocol, never in a URL, and keeps it for this tab’s reconnects', async () => {
    recorder = await startWsRecorder();
    const token = await tokenFor('tess');
    const url = `${server.pageUrl({ room: 'signed', name: 'tess' })}#token=${token}`;
    const { page, watch } = await browser.open(url, { webSocketUrl: recorder.wsUrl });
    await waitLive(page);

    const first = recorder.upgrades[0];
    const key = await keyProtocol(page);
    expect(first?.protocols).toEqual(['chat', tokenProtocol(token), key]);
    expect(first?.url).toMatch(/^\/\?room=signed&name=tess$/);
    const places = await tokenPlaces(page);
    expect(places.href).not.toContain('#');
    expect(places.href).not.toContain(token);
    expect(places.session).toBe(token);
    expect(places.local).not.toContain(token);
    expect(places.html).not.toContain(token);

    await dropSocket(page);
    await expect.poll(() => recorder?.upgrades.length).toBe(2);
    expect(recorder.upgrades[1]?.protocols).toEqual(['chat', tokenProtocol(token), key]);
    expect(recorder.upgrades.map((u) => u.url).join()).not.toContain('token');
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });

  it('offers chat and its key, and no token, without a token', async () => {
    recorder = await startWsRecorder();
    const url = server.pageUrl({ room: 'open', name: 'otto' });
    const { page } = await browser.open(url, { webSocketUrl: recorder.wsUrl });
    await waitLive(page);
    expect(recorder.upgrades[0]?.protocols).toEqual(['chat', await keyProtocol(page)]);
  });

  it('says the server cannot be reached, with no word of a token it does not hold, and keeps trying', async () => {
    relay = await startWsRelay(server.wsUrl);
    const url = server.pageUrl({ room: 'refused', name: 'rita' });
    const { page, watch } = await browser.open(url, { webSocketUrl: relay.wsUrl });

    // A page without a token knows of no sign-in: a refusal looks like a server out of reach.
    const banner = page.locator('#link-banner');
    await banner.filter({ hasText: 'cannot be reached' }).waitFor();
    expect(await banner.textContent()).not.toMatch(/sign-in|token/i);
    expect(await notice(page).isVisible()).toBe(false);
    await page.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await expect.poll(() => relay?.opened.length).toBeGreaterThanOrEqual(2);
    expect(watch.errors).toEqual([]);
  });

  it('stops retrying once its token has expired, and says to sign in again', async () => {
    relay = await startWsRelay(server.wsUrl);
    const token = await tokenFor('eve', -120);
    const url = `${server.pageUrl({ room: 'expired', name: 'eve' })}#token=${token}`;
    const { page } = await browser.open(url, { webSocketUrl: relay.wsUrl });

    await page.locator('#status[data-state="offline"]').waitFor({ state: 'attached' });
    expect(await page.locator('#status-text').textContent()).toBe(
      'Not connected – sign-in expired',
    );
    expect(await notice(page).textContent()).toContain('Your sign-in has expired');
    expect(await page.locator('#retry-now').isVisible()).toBe(true);
    expect(await page.locator('#status-detail').textContent()).toBe('');
    expect(relay.opened).toHaveLength(1);
    expect(relay.offered[0]).toEqual(['chat', tokenProtocol(token), await keyProtocol(page)]);
  });

  it('lets two signed-in people chat, each named by their token', async () => {
    relay = await startWsRelay(server.wsUrl);
    const open = async (name: string) =>
      browser.open(`${server.pageUrl({ room: 'members' })}#token=${await tokenFor(name)}`, {
        webSocketUrl: relay?.wsUrl ?? '',
      });
    const ada = await open('ada');
    const bo = await open('bo');
    await Promise.all([waitLive(ada.page), waitLive(bo.page)]);

    await say(ada.page, 'signed hello');
    await waitForText(bo.page, 'signed hello');
    await say(bo.page, 'signed reply');
    await waitForText(ada.page, 'signed reply');
    expect(await shownMessages(bo.page)).toEqual([
      { seq: 1, sender: 'ada', text: 'signed hello', own: false },
      { seq: 2, sender: 'bo', text: 'signed reply', own: true },
    ]);
    expect(relay.opened.join()).not.toContain('token');
    expect(relay.offered.every((offer) => offer[0] === 'chat')).toBe(true);
    for (const { watch } of [ada, bo]) {
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });
});
