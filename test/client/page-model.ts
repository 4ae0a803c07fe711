import type { Page } from 'playwright-core';

/** A message as the page shows it. */
export interface ShownMessage {
  seq: number;
  sender: string;
  text: string;
  own: boolean;
}

/** Every delivered message on the page, in the order shown. */
export const shownMessages = (page: Page): Promise<ShownMessage[]> =>
  page.locator('#messages > li').evaluateAll((items) =>
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
