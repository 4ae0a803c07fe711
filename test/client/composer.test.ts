import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/protocol/routes.js';
import { useChatPages } from './chat-pages.js';
import { say, shownMessages, waitForText, waitLive, waitNothingPending } from './page-model.js';

const { server, browser } = useChatPages();

describe('joining', () => {
  it('joins with the keyboard alone from a bare address', async () => {
    const { page } = await browser.open(server.pageUrl({}));
    expect(
      await page.evaluate(() => (globalThis as unknown as Focus).document.activeElement.id),
    ).toBe('join-room');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('keys-only');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim');
    await page.keyboard.press('Enter');
    await waitLive(page);
    expect(await page.locator('#room-title').textContent()).toBe('#keys-only');
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await waitForText(page, 'typed without a mouse');
    expect(new URL(page.url()).searchParams.get('room')).toBe('keys-only');
    expect(new URL(page.url()).searchParams.get('name')).toBe('kim');
  });

  it('asks only for what the address leaves out', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'half-way' }));
    expect(await page.locator('#join-view').isVisible()).toBe(true);
    expect(await page.locator('#join-room').inputValue()).toBe('half-way');
    await page.locator('#join-name').fill('  ');
    await page.locator('#join-button').click();
    expect(await page.locator('#join-error').textContent()).toContain('1–32 characters');
    expect(await page.locator('#chat-view').isVisible()).toBe(false);
  });

  it('explains how to reach a server when opened as a file without ?url=', async () => {
    const file = new URL('../../client.html?room=general&name=ann', import.meta.url);
    const { page, watch } = await browser.open(file.href);
    const error = page.locator('#join-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('?url=ws://');
    expect(watch.errors).toEqual([]);
  });
});

describe('the composer', () => {
  it('sends on Enter and starts a new line on Shift+Enter', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'lines', name: 'lee' }));
    await waitLive(page);
    const input = page.locator('#input');
    await input.pressSequentially('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    await input.press('Enter');
    await waitForText(page, 'second line');
    expect(await input.inputValue()).toBe('');
    expect((await shownMessages(page)).map((m) => m.text)).toEqual(['first line\nsecond line']);
  });

  it('counts characters against the limits and will not send past 4,000 characters or 16 KiB', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'limits', name: 'lin' }));
    await waitLive(page);
    const input = page.locator('#input');
    const counter = page.locator('#counter');
    const send = page.locator('#send');
    expect(await send.isDisabled()).toBe(true);

    await input.fill('x'.repeat(4_000));
    expect(await counter.textContent()).toBe('4,000 / 4,000');
    expect(await send.isDisabled()).toBe(false);

    await input.fill('x'.repeat(4_001));
    expect(await counter.textContent()).toBe('4,001 / 4,000 – too long');
    expect(await send.isDisabled()).toBe(true);
    await input.press('Enter');
    expect(await page.locator('#pending > li').count()).toBe(0);

    // 2,100 thumbs with a skin tone: 2,100 characters as people count them, 16.4 KiB of UTF-8.
    await input.fill('👍🏽'.repeat(2_100));
    expect(await counter.textContent()).toBe('2,100 / 4,000 · 16.4 / 16 KiB – too long');
    expect(await send.isDisabled()).toBe(true);

    await input.fill('👍🏽'.repeat(2_000));
    expect(await send.isDisabled()).toBe(false);
    await input.press('Enter');
    await waitNothingPending(page);
    expect((await shownMessages(page)).map((m) => m.text)).toEqual(['👍🏽'.repeat(2_000)]);
  });

  it('shows an error frame from the server in plain words and keeps working', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'errors', name: 'eve' }));
    await waitLive(page);
    await page.evaluate(() =>
      (
        globalThis as unknown as { __chat: { socket: { send(data: string): void } } }
      ).__chat.socket.send('{"action":"dance"}'),
    );
    const notice = page.locator('#notice');
    await notice.waitFor({ state: 'visible' });
    expect(await page.locator('#notice-text').textContent()).toBe(
      'The server did not understand a request from this page; reloading the page may help. ' +
        `(action "dance" does not exist; use one of: ${ACTIONS.join(', ')})`,
    );
    await page.locator('#notice-close').click();
    expect(await notice.isVisible()).toBe(false);
    await say(page, 'still here');
    await waitForText(page, 'still here');
    expect(await page.locator('#status').getAttribute('data-state')).toBe('live');
  });
});

interface Focus {
  document: { activeElement: { id: string } };
}
