import { describe, expect, it } from 'vitest';
import type { OpenOptions } from './browser.js';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import { messageItem, waitForText, waitLive } from './page-model.js';
import { ids, ROOM, replay, sessionFrame } from './scripted-pages.js';
import { startScriptedRoom } from './scripted-room.js';

// The page is served by the real chat; its socket goes to a room the test scripts, so the
// messages' times are known.
const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

const DAY = '2024-03-05';
const at = (time: string) => `${DAY}T${time}Z`;
const said = (seq: number, sender: string, text: string, time: string, userId: string) => ({
  seq,
  sender,
  text,
  sentAt: at(time),
  userId,
});

/** Ann's page in a room where Bob said two things a minute apart, then Ann answered. */
const openRoom = async (options: OpenOptions) => {
  const room = stopLater(
    await startScriptedRoom([
      sessionFrame(ids.alice, 'ann'),
      replay(
        [
          said(1, 'bob', 'good morning', '07:04:10', ids.bob),
          said(2, 'bob', 'coffee at www.cafe.example?', '07:05:20', ids.bob),
          said(3, 'ann', 'yes', '07:06:30', ids.alice),
        ],
        {
          moderation: [
            {
              seq: 4,
              action: 'kick',
              userId: ids.troll,
              name: 'troll',
              by: { userId: ids.mod, name: 'mod' },
              at: at('07:08:00'),
            },
          ],
        },
      ),
    ]),
  );
  const { page, watch } = await browser.open(server.pageUrl({ room: ROOM, name: 'ann' }), {
    webSocketUrl: room.wsUrl,
    timezoneId: 'UTC',
    ...options,
  });
  await waitLive(page);
  await waitForText(page, 'yes');
  return { page, watch };
};

/** The page's computed styles (the project compiles without lib.dom). */
interface Styles {
  getComputedStyle(node: unknown): { opacity: string };
}

/** Each message's time as shown, and the moderation line's. */
const shownTimes = (page: Awaited<ReturnType<typeof openRoom>>['page']) =>
  page.locator('#messages > li time').allTextContents();

describe('message times', () => {
  it('are the locale’s time of day, 24-hour where it is, with no leading zero', async () => {
    const german = await openRoom({ locale: 'de-DE' });
    // The moderation line, on another day than today, has its date.
    expect(await shownTimes(german.page)).toEqual(['7:04', '7:05', '7:06', '5. März, 7:08']);
    const american = await openRoom({ locale: 'en-US' });
    expect(await shownTimes(american.page)).toEqual([
      '7:04 AM',
      '7:05 AM',
      '7:06 AM',
      'Mar 5, 7:08 AM',
    ]);
    expect(german.watch.errors).toEqual([]);
  });
});

describe('a grouped message (one sender’s next message)', () => {
  it('still says who wrote it and when to a screen reader, without showing the name again', async () => {
    const { page } = await openRoom({ locale: 'en-GB' });
    const second = messageItem(page, 2);
    expect(await second.getAttribute('class')).toContain('continued');
    expect(await second.ariaSnapshot()).toBe(
      [
        '- listitem:',
        '  - text: bob',
        '  - time: 7:05',
        '  - text: coffee at',
        '  - link "www.cafe.example":',
        '    - /url: https://www.cafe.example',
        '  - text: "?"',
      ].join('\n'),
    );
    // The name is there for screen readers only: the first message's name heads the run.
    expect(await second.locator('.sender').boundingBox()).toMatchObject({ width: 1, height: 1 });
    expect(await messageItem(page, 1).locator('.sender').isVisible()).toBe(true);
  });

  it('shows its time beside it on hover and on focus, moving nothing', async () => {
    const { page } = await openRoom({ locale: 'en-GB' });
    const second = messageItem(page, 2);
    const time = second.locator('time');
    const opacity = () =>
      time.evaluate((node) => (globalThis as unknown as Styles).getComputedStyle(node).opacity);
    const box = await second.boundingBox();
    expect(await opacity()).toBe('0');

    await second.locator('.bubble').hover();
    expect(await opacity()).toBe('1');
    const shown = await time.boundingBox();
    const bubble = await second.locator('.bubble').boundingBox();
    // Inside the message's own row, clear of its bubble.
    expect(shown && bubble && box).toBeTruthy();
    if (!shown || !bubble || !box) return;
    expect(shown.y).toBeGreaterThanOrEqual(box.y);
    expect(shown.y + shown.height).toBeLessThanOrEqual(box.y + box.height);
    expect(shown.x).toBeGreaterThan(bubble.x + bubble.width);
    expect(await second.boundingBox()).toEqual(box);

    await page.mouse.move(0, 0);
    expect(await opacity()).toBe('0');
    // Its link taking focus (a keyboard user tabbing onto it) shows its time too.
    await second.getByRole('link').focus();
    expect(await opacity()).toBe('1');
  });
});
