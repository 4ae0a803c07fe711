import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A message as the page shows it. */
export interface ShownMessage {
  seq: number;
  sender: string;
  text: string;
  own: boolean;
}

/** Every delivered message on the page, in the order shown. */
export const shownMessages = (page: Page): Promise<ShownMessage[]> =>
  page.locator('#messages > li.msg').evaluateAll((items) =>
    items.map((li) => ({
      seq: Number(li.getAttribute('data-seq')),
      sender: li.querySelector('.sender')?.textContent ?? '',
      text: li.querySelector('.bubble')?.textContent ?? '',
      own: li.classList.contains('own'),
    })),
  );

/** The texts of the delivered messages, in the order shown. */
export const shownTexts = async (page: Page) => (await shownMessages(page)).map((m) => m.text);

/** Types a message into the composer and presses Enter. */
export const say = async (page: Page, text: string) => {
  await page.locator('#input').fill(text);
  await page.locator('#input').press('Enter');
};

/** Waits until a delivered message with exactly this text is shown. */
export const waitForText = (page: Page, text: string) =>
  page
    .locator('#messages > li .bubble')
    .filter({ hasText: text })
    .first()
    .waitFor({ state: 'visible' });

/** Waits until the connection indicator says the page is live. */
export const waitLive = (page: Page) =>
  page.locator('#status[data-state="live"]').waitFor({ state: 'attached' });

/** Waits until nothing is pending (every sent message was acknowledged by its echo). */
export const waitNothingPending = (page: Page) =>
  page.locator('#pending > li').first().waitFor({ state: 'detached' });

/** Closes the page's current socket from inside the page, as a dropped network would. */
export const dropSocket = (page: Page) =>
  page.evaluate(() => {
    const hook = (globalThis as unknown as { __chat?: { socket: { close(): void } | null } })
      .__chat;
    hook?.socket?.close();
  });

/** The few browser globals tests read inside a page (the project compiles without lib.dom). */
export interface PageGlobals {
  document: { documentElement: { scrollWidth: number } };
  innerWidth: number;
  getComputedStyle(node: unknown): { borderTopLeftRadius: string };
  __pwned?: number;
}

/** Who the page shows as here: its count line ("3 here") and the names listed, in order. */
export const shownPresence = (page: Page) =>
  page.locator('#presence').evaluate((bar) => ({
    count: bar.querySelector('#presence-count')?.textContent ?? '',
    names: Array.from(bar.querySelectorAll('#presence-names > li'), (item) => {
      const li = item as { querySelector(s: string): { textContent: string | null } | null };
      return (
        (li.querySelector('.name') ?? (item as { textContent: string | null })).textContent ?? ''
      );
    }),
  }));

/** A name as the page shows it, with the fingerprint beside it ('' when there is none). */
export interface ShownName {
  name: string;
  fingerprint: string;
}

/** The people the member list shows, in order, each with the fingerprint beside their name. */
export const shownMembers = (page: Page): Promise<ShownName[]> =>
  page.locator('#presence-names > li:not(.more)').evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector('.name')?.textContent ?? '',
      fingerprint: li.querySelector('.fingerprint')?.textContent ?? '',
    })),
  );

/** Each delivered message's sender as shown, with the fingerprint beside it, in order. */
export const shownSenders = (page: Page): Promise<ShownName[]> =>
  page.locator('#messages > li.msg').evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector('.sender')?.textContent ?? '',
      fingerprint: li.querySelector('.fingerprint')?.textContent ?? '',
    })),
  );

/** The timeline's moderation lines ("mod banned troll for 1 h: spam"), in order. */
export const shownEvents = (page: Page): Promise<string[]> =>
  page
    .locator('#messages > li.event .event-text')
    .evaluateAll((items) => items.map((item) => item.textContent ?? ''));

/** Everything in the timeline in order: a message as `sender: text`, a moderation line as is. */
export const shownTimeline = (page: Page): Promise<string[]> =>
  page
    .locator('#messages > li')
    .evaluateAll((items) =>
      items.map((li) =>
        li.classList.contains('event')
          ? (li.querySelector('.event-text')?.textContent ?? '')
          : `${li.querySelector('.sender')?.textContent}: ${li.querySelector('.bubble')?.textContent}`,
      ),
    );

/** What the composer says of the room's rules ('' when it says nothing). */
export const shownRules = async (page: Page) =>
  (await page.locator('#room-rules').isVisible())
    ? ((await page.locator('#room-rules').textContent()) ?? '')
    : '';

/** The page's "… is typing…" line ('' when nobody is shown typing). */
export const typingLine = async (page: Page) => (await page.locator('#typing').textContent()) ?? '';

/**
 * Types on `typist` (whose clock the test holds) a key at a time until every watcher's typing
 * line reads `line`. Each try moves the typist's clock past its page's pause between typing
 * frames; the server's own interval per connection runs on real time, and a frame sent while a
 * socket reconnects is lost, so a frame that never showed is simply sent again.
 */
export const typeUntilShown = async (typist: Page, watchers: readonly Page[], line: string) => {
  await expect
    .poll(
      async () => {
        await typist.clock.runFor(2_600);
        await typist.locator('#input').pressSequentially('x');
        const lines = await Promise.all(watchers.map(typingLine));
        return lines.every((shown) => shown === line);
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
};

/** A delivered message's state as shown: its text (or "message deleted") and its marks. */
export interface ShownState {
  seq: number;
  text: string;
  edited: boolean;
  /** The edited mark's tooltip ('' without one). */
  editedTitle: string;
  deleted: boolean;
  /** It offers actions (a "⋯" button: edit, delete). */
  tools: boolean;
}

/** Every delivered message's state, in the order shown. */
export const shownStates = (page: Page): Promise<ShownState[]> =>
  page.locator('#messages > li.msg').evaluateAll((items) =>
    items.map((li) => ({
      seq: Number(li.getAttribute('data-seq')),
      text: li.querySelector('.bubble')?.textContent ?? '',
      edited: li.querySelector('.edited') !== null,
      editedTitle: li.querySelector('.edited')?.getAttribute('title') ?? '',
      deleted: li.classList.contains('deleted'),
      tools: li.querySelector('.tools') !== null,
    })),
  );

/** The list item of the delivered message with `seq`. */
export const messageItem = (page: Page, seq: number) =>
  page.locator(`#messages > li[data-seq="${seq}"]`);

/** Opens message `seq`'s actions with its "⋯" button, and answers the open menu. */
export const openActions = async (page: Page, seq: number) => {
  const item = messageItem(page, seq);
  await item.hover();
  await item.locator('.tools button').click();
  const menu = page.getByRole('menu');
  await menu.waitFor({ state: 'visible' });
  return menu;
};

/** Chooses `action` ('Edit', 'Delete') in message `seq`'s "⋯" menu. */
export const chooseAction = async (page: Page, seq: number, action: string) =>
  (await openActions(page, seq)).getByRole('menuitem', { name: action, exact: true }).click();

/** The actions message `seq`'s "⋯" menu offers, in order (the menu is closed again after). */
export const offeredActions = async (page: Page, seq: number) => {
  const menu = await openActions(page, seq);
  const offered = await menu.getByRole('menuitem').allTextContents();
  await page.keyboard.press('Escape');
  return offered;
};

/** Edits message `seq` in place with the mouse and keyboard: ⋯, Edit, new text, Enter. */
export const editMessage = async (page: Page, seq: number, text: string) => {
  const item = messageItem(page, seq);
  await chooseAction(page, seq, 'Edit');
  await item.locator('.edit-form textarea').fill(text);
  await item.locator('.edit-form textarea').press('Enter');
};

/** Deletes message `seq`: ⋯, Delete, then the inline confirmation. */
export const deleteMessage = async (page: Page, seq: number) => {
  const item = messageItem(page, seq);
  await chooseAction(page, seq, 'Delete');
  await item.getByRole('button', { name: 'Delete this message for everyone' }).click();
};

/** Everything of the page a message's text could hide in: its markup and its storage. */
export const pageMemory = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      localStorage: { length: number; key(i: number): string | null; getItem(k: string): string };
      document: { documentElement: { outerHTML: string } };
    };
    const stored = Array.from({ length: g.localStorage.length }, (_, i) => {
      const key = g.localStorage.key(i) ?? '';
      return `${key}=${g.localStorage.getItem(key)}`;
    });
    return `${g.document.documentElement.outerHTML}\n${stored.join('\n')}`;
  });

/**
 * Stops the page's clock and timers until the test moves them (`fastForward`, `runFor`) or
 * `resume`s. `pauseAt` must lie ahead of the page's clock, which runs on from `install()` until
 * it pauses, so it pauses a second past the time read from the page; that only runs timers
 * already due by then, so call it before starting what the test waits on. When the machine is
 * too slow for even that ("Cannot fast-forward to the past", microsoft/playwright#33926), the
 * page's time is read again.
 */
export const pauseClock = async (page: Page) => {
  await page.clock.install();
  for (;;) {
    const now = await page.evaluate(() => Date.now());
    try {
      await page.clock.pauseAt(now + 1_000);
      return;
    } catch (error) {
      if (!String(error).includes('Cannot fast-forward to the past')) throw error;
    }
  }
};
