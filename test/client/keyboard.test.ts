import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { useChatPages } from './chat-pages.js';
import {
  deleteMessage,
  messageItem,
  say,
  shownStates,
  waitForText,
  waitLive,
  waitNothingPending,
} from './page-model.js';

const { server, browser } = useChatPages();

/** The few browser globals these tests read inside a page. */
interface Doc {
  document: {
    activeElement: El | null;
    querySelectorAll(s: string): ArrayLike<El>;
    getSelection?: unknown;
  };
}
interface El {
  id: string;
  tagName: string;
  className: string;
  parentElement: El | null;
  getAttribute(name: string): string | null;
  closest(s: string): El | null;
  blur(): void;
  dispatchEvent(event: unknown): boolean;
}

/** Where the focus is: an element's id, a message's `msg <seq>`, or its tag and class. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const node = (globalThis as unknown as Doc).document.activeElement;
    if (!node) return '';
    if (node.id) return `#${node.id}`;
    if (node.parentElement?.id === 'messages') return `msg ${node.getAttribute('data-seq')}`;
    if (node.closest('#messages')) return `in a message: ${node.tagName.toLowerCase()}`;
    return `${node.tagName.toLowerCase()}.${node.className}`;
  });

/** The stops Tab makes from the top of the page until the composer (at most 200). */
const tabStopsToComposer = async (page: Page) => {
  // A reconnect in between would add its "Retry now" button, and the people bar (a stop of its
  // own) shows once the room's presence has arrived.
  await waitLive(page);
  await page.locator('#presence-count').waitFor({ state: 'visible' });
  await page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.blur());
  const stops: string[] = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const at = await focused(page);
    if (at === '#input') return stops;
    stops.push(at);
  }
  return stops;
};

/** Alice, live in `room`, having said `texts` (seqs 1, 2, …). */
const aliceSaid = async (room: string, texts: string[]) => {
  const { page, watch } = await browser.open(server.pageUrl({ room, name: 'alice' }));
  await waitLive(page);
  for (const text of texts) await say(page, text);
  await waitNothingPending(page);
  await waitForText(page, texts.at(-1) ?? '');
  return { page, watch };
};

const actionsButton = (page: Page, seq: number) => messageItem(page, seq).locator('.tools button');

describe('the message list with the keyboard alone', () => {
  it('is one Tab stop however many messages there are: 30 of one’s own take no more stops than 1', async () => {
    const { page } = await aliceSaid('tab-stops', ['the only one']);
    const withOne = await tabStopsToComposer(page);
    expect(withOne.filter((stop) => stop.startsWith('msg '))).toEqual(['msg 1']);

    for (let i = 2; i <= 30; i++) await say(page, `message ${i}`);
    await waitNothingPending(page);
    await waitForText(page, 'message 30');
    const withThirty = await tabStopsToComposer(page);
    expect(withThirty.filter((stop) => stop.startsWith('msg '))).toEqual(['msg 30']);
    const anyMessage = (stops: string[]) => stops.map((stop) => stop.replace(/^msg \d+$/, 'msg'));
    expect(anyMessage(withThirty)).toEqual(anyMessage(withOne));
  });

  it('moves between messages with ↑ and ↓, Home and End, and Tab leaves for the composer', async () => {
    const { page } = await aliceSaid('arrows', ['one', 'two', 'three', 'four']);
    await page.locator('#input').press('Shift+Tab');
    expect(await focused(page)).toBe('msg 4');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('msg 2');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('msg 3');
    await page.keyboard.press('Home');
    expect(await focused(page)).toBe('msg 1');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('msg 1');
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('msg 4');
    await page.keyboard.press('Home');
    expect(await page.locator('#messages > li[tabindex="0"]').count()).toBe(1);

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('#input');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('msg 1');
  });

  it('opens a message’s actions with Enter, moves in the menu with arrows, and Escape gives the focus back', async () => {
    const { page, watch } = await aliceSaid('menu-keys', ['first', 'second']);
    await page.locator('#input').press('Shift+Tab');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor({ state: 'visible' });
    expect(await actionsButton(page, 2).getAttribute('aria-haspopup')).toBe('menu');
    expect(await actionsButton(page, 2).getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Edit', 'Delete']);
    const item = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as Doc).document.activeElement?.closest('[role="menuitem"]')
            ?.className ?? '',
      );
    expect(await item()).toBe('edit');
    await page.keyboard.press('ArrowDown');
    expect(await item()).toBe('delete');
    await page.keyboard.press('ArrowDown');
    expect(await item()).toBe('edit');
    await page.keyboard.press('End');
    expect(await item()).toBe('delete');
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    expect(await menu.isVisible()).toBe(false);
    expect(await focused(page)).toBe('msg 2');
    expect(await actionsButton(page, 2).getAttribute('aria-expanded')).toBe('false');
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });

  it('edits and deletes through the menu by keyboard, the focus back on the message each time', async () => {
    const { page } = await aliceSaid('menu-edit', ['keep me', 'helo']);
    await page.locator('#input').press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('in a message: textarea');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('hello');
    await page.keyboard.press('Enter');
    await waitForText(page, 'hello');
    expect(await focused(page)).toBe('msg 2');

    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ContextMenu');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('in a message: button');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await waitForText(page, 'message deleted');
    expect(await focused(page)).toBe('msg 1');
    expect((await shownStates(page)).map((m) => [m.text, m.edited, m.tools])).toEqual([
      ['message deleted', false, false],
      ['hello', true, true],
    ]);
  });

  it('edits one’s last message with ↑ in an empty composer, and saving or cancelling puts the focus back there', async () => {
    const { page } = await aliceSaid('arrow-up', ['older', 'last', 'gone']);
    await deleteMessage(page, 3);
    await waitForText(page, 'message deleted');
    const input = page.locator('#input');

    await input.fill('a draft');
    await input.press('ArrowUp');
    expect(await page.locator('.edit-form').count()).toBe(0);

    await input.fill('');
    await input.press('ArrowUp');
    const editing = messageItem(page, 2).locator('.edit-form textarea');
    expect(await editing.inputValue()).toBe('last');
    expect(await focused(page)).toBe('in a message: textarea');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('#input');

    await input.press('ArrowUp');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('last, edited');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('#input');
    await waitForText(page, 'last, edited');
    await page.keyboard.type('typed straight on');
    expect(await input.inputValue()).toBe('typed straight on');
  });

  it('names each actions button after its message: whose, its first words and its time', async () => {
    const { page } = await aliceSaid('labels', ['hello world, this is a long first message', 'ok']);
    const label = (seq: number) => actionsButton(page, seq).getAttribute('aria-label');
    expect(await label(1)).toMatch(
      /^Actions for your message “hello world, this is a l…” at \d{1,2}[:.]\d\d(\s[AP]M)?$/,
    );
    expect(await label(2)).toMatch(/^Actions for your message “ok” at /);
    expect(new Set([await label(1), await label(2)]).size).toBe(2);
  });

  it('opens the same menu on a long press on a touch screen, and leaves a mouse’s right click alone', async () => {
    const { page } = await aliceSaid('long-press', ['press me']);
    const press = (pointerType: string) =>
      messageItem(page, 1)
        .locator('.bubble')
        .evaluate((bubble, type) => {
          const PointerEvt = (
            globalThis as unknown as { PointerEvent: new (t: string, o: object) => unknown }
          ).PointerEvent;
          const MouseEvt = (
            globalThis as unknown as { MouseEvent: new (t: string, o: object) => unknown }
          ).MouseEvent;
          const node = bubble as unknown as El;
          node.dispatchEvent(new PointerEvt('pointerdown', { bubbles: true, pointerType: type }));
          return node.dispatchEvent(
            new MouseEvt('contextmenu', { bubbles: true, cancelable: true }),
          );
        }, pointerType);
    expect(await press('mouse')).toBe(true);
    expect(await page.getByRole('menu').isVisible()).toBe(false);
    expect(await press('touch')).toBe(false);
    await expect
      .poll(() => page.getByRole('menu').getByRole('menuitem').allTextContents())
      .toEqual(['Edit', 'Delete']);
  });
});
