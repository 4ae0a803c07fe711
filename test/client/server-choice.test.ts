import { describe, expect, it } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { ATTACKER_HOST } from './browser.js';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import { say, waitForText, waitLive, waitNothingPending } from './page-model.js';
import { startWsRecorder } from './ws-recorder.js';

const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

/** The client opened from disk: no server beside it, so no config.json. */
const fileUrl = (params: Record<string, string>) =>
  `${new URL('../../client.html', import.meta.url).href}?${new URLSearchParams(params)}`;

describe('which server the page talks to', () => {
  it('ignores ?url= when served with a config.json, says so, and sends queued drafts only to its own server', async () => {
    const attacker = stopLater(await startWsRecorder(ATTACKER_HOST));
    const room = 'drafts';
    // A draft queued earlier in this browser, as the page keeps it while offline.
    const { page, watch } = await browser.open(server.pageUrl({}));
    await page.evaluate((key) => {
      const { localStorage } = globalThis as unknown as {
        localStorage: { setItem(key: string, value: string): void };
      };
      localStorage.setItem(key, JSON.stringify([{ id: 'draft-1', text: 'my queued draft' }]));
    }, `chat:pending:${room}`);

    await page.goto(server.pageUrl({ room, name: 'victim', url: attacker.wsUrl }));
    await waitLive(page);
    await waitForText(page, 'my queued draft');
    await waitNothingPending(page);

    expect(await page.locator('#status-note').isVisible()).toBe(true);
    expect(await page.locator('#status-note').textContent()).toContain('?url= ignored');
    expect(attacker.connections).toBe(0);
    expect(attacker.frames).toEqual([]);
    expect(watch.errors).toEqual([]);
  });

  it('refuses ?url= to another machine when opened without a config.json, and opens no socket', async () => {
    const attacker = stopLater(await startWsRecorder(ATTACKER_HOST));
    const { page, watch } = await browser.open(
      fileUrl({ room: 'general', name: 'ann', url: attacker.wsUrl }),
    );
    const error = page.locator('#join-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain(
      `?url= may only point at a chat server on this computer (127.0.0.1 or localhost) or on this page’s own host, not at “${new URL(attacker.wsUrl).host}”`,
    );
    expect(await page.locator('#chat-view').isVisible()).toBe(false);
    expect(attacker.connections).toBe(0);
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });
});

// A page opened from disk sends `Origin: null`, which `npm start` refuses unless told otherwise.
describe('a page opened from disk, with npm start run as ALLOWED_ORIGINS=null', () => {
  const fileServer = useChatServer({ ALLOWED_ORIGINS: 'null' });

  it('takes ?url= to a server on this computer when opened without a config.json', async () => {
    const { page, watch } = await browser.open(
      fileUrl({ room: 'from-disk', name: 'dev', url: fileServer.wsUrl }),
    );
    await waitLive(page);
    await say(page, 'hello from a file');
    await waitForText(page, 'hello from a file');
    expect(await page.locator('#status-note').isVisible()).toBe(false);
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });

  it('keeps drafts queued under one ?url= server away from another', async () => {
    const other = stopLater(await startWsRecorder());
    const { page } = await browser.open(fileUrl({ room: 'split', name: 'dev', url: other.wsUrl }));
    await waitLive(page);
    await say(page, 'meant for the first server');
    await expect.poll(() => other.frames.length).toBe(1);

    await page.goto(fileUrl({ room: 'split', name: 'dev', url: fileServer.wsUrl }));
    await waitLive(page);
    await say(page, 'meant for the second server');
    await waitForText(page, 'meant for the second server');
    await waitNothingPending(page);
    const texts = await page.locator('#messages .bubble').allTextContents();
    expect(texts).toEqual(['meant for the second server']);
  });
});
