import { describe, expect, it } from 'vitest';
import { listenerAndSender, stopAfterEach, useChatPages } from './chat-pages.js';
import { startFlakyNetwork } from './flaky-network.js';
import {
  dropSocket,
  say,
  shownMessages,
  shownTexts,
  waitForText,
  waitLive,
  waitNothingPending,
} from './page-model.js';

const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `m${String(from + i).padStart(2, '0')}`);

/** A listener on a flaky network and a sender on a steady one, in a fresh room. */
const twoPeople = async (room: string) => {
  const network = stopLater(await startFlakyNetwork(server.wsUrl));
  return { network, ...(await listenerAndSender(browser, server, room, network.wsUrl)) };
};

const sayAll = async (page: Parameters<typeof say>[0], texts: string[]) => {
  for (const text of texts) await say(page, text);
};

describe('reconnecting', () => {
  it('reconnects by itself after its socket drops and shows every message once, in order', async () => {
    const { network, listener, sender } = await twoPeople('relay');
    await sayAll(sender, numbered(1, 5));
    await waitForText(listener, 'm05');

    // The network goes away while the room keeps talking.
    network.cut();
    await listener.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await sayAll(sender, numbered(6, 10));
    await waitNothingPending(sender);
    network.restore();
    await waitForText(listener, 'm10');

    // The socket closes again while messages are in flight.
    await sayAll(sender, numbered(11, 15));
    await dropSocket(listener);
    await sayAll(sender, numbered(16, 20));
    await waitNothingPending(sender);
    await waitForText(listener, 'm20');
    await waitLive(listener);
    // The resume's replay may come after m19 and m20 arrived live (on a loaded machine it does):
    // it fills the messages the drop lost in their places.
    await expect.poll(() => shownTexts(listener), { timeout: 15_000 }).toEqual(numbered(1, 20));

    const shown = await shownMessages(listener);
    expect(shown.map((m) => m.text)).toEqual(numbered(1, 20));
    expect(shown.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('catches up on more missed messages than one replay page after the network returns', async () => {
    const { network, listener, sender } = await twoPeople('long-gap');
    await say(sender, 'message 0');
    await waitForText(listener, 'message 0');
    network.cut();
    await listener.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    // Written straight to the log, so only the resume can bring them to the listener.
    await server.seed('long-gap', 70);
    network.restore();
    await waitForText(listener, 'message 70');

    const shown = await shownMessages(listener);
    expect(shown.map((m) => m.seq)).toEqual(Array.from({ length: 71 }, (_, i) => i + 1));
    expect(shown.map((m) => m.text)).toEqual(Array.from({ length: 71 }, (_, i) => `message ${i}`));
  });

  it('shows that the browser is offline and comes back by itself when it is online again', async () => {
    const { listener, sender } = await twoPeople('airplane-mode');
    await listener.context().setOffline(true);
    const status = listener.locator('#status');
    await listener.locator('#status[data-state="offline"]').waitFor({ state: 'attached' });
    expect(await status.locator('#status-text').textContent()).toBe(
      'Offline – waiting for the network',
    );
    await say(sender, 'sent while you were offline');
    await waitNothingPending(sender);

    await listener.context().setOffline(false);
    await waitForText(listener, 'sent while you were offline');
    await waitLive(listener);
    expect(await shownTexts(listener)).toEqual(['sent while you were offline']);
  });

  it('delivers a message typed while disconnected once the connection is back', async () => {
    const { network, listener, sender } = await twoPeople('offline-send');
    network.cut();
    await listener.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await say(listener, 'typed in a tunnel');
    const pending = listener.locator('#pending > li');
    expect(await pending.locator('.bubble').allTextContents()).toEqual(['typed in a tunnel']);
    expect(await pending.locator('.state').textContent()).toBe('waiting for connection…');

    network.restore();
    await waitForText(sender, 'typed in a tunnel');
    await waitNothingPending(listener);
    await say(sender, 'welcome back');
    await waitForText(listener, 'welcome back');

    const expected = [
      { seq: 1, sender: 'listener', text: 'typed in a tunnel' },
      { seq: 2, sender: 'sender', text: 'welcome back' },
    ];
    expect(await shownMessages(listener)).toEqual([
      { ...expected[0], own: true },
      { ...expected[1], own: false },
    ]);
    expect(await shownMessages(sender)).toEqual([
      { ...expected[0], own: false },
      { ...expected[1], own: true },
    ]);
  });

  it('re-sends a message whose echo was lost with the same id, so the room stores it once', async () => {
    const { network, listener, sender } = await twoPeople('lost-echo');
    network.mute();
    await say(listener, 'did this arrive?');
    await waitForText(sender, 'did this arrive?');
    expect(await listener.locator('#pending > li .bubble').allTextContents()).toEqual([
      'did this arrive?',
    ]);

    network.cut();
    network.restore();
    await waitNothingPending(listener);
    await say(sender, 'it did');
    await waitForText(listener, 'it did');

    expect(await shownTexts(listener)).toEqual(['did this arrive?', 'it did']);
    expect((await shownMessages(sender)).map((m) => m.seq)).toEqual([1, 2]);
  });
});
