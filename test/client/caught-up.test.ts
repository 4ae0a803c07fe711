import { describe, expect, it } from 'vitest';
import { listenerAndSender, stopAfterEach, useChatPages } from './chat-pages.js';
import { startFlakyNetwork } from './flaky-network.js';
import { say, waitForText, waitLive, waitNothingPending } from './page-model.js';

const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

describe('catching up after a reconnect', () => {
  it('says once, aloud and in a line, how many messages from others arrived while it was away', async () => {
    // A room with a log already, as most are: the resume finds the log the page read.
    await server.seed('away', 1);
    const network = stopLater(await startFlakyNetwork(server.wsUrl));
    const { listener, sender } = await listenerAndSender(browser, server, 'away', network.wsUrl);
    await say(sender, 'before');
    await waitForText(listener, 'before');

    // The listener hears nothing more, though its own message still reaches the room: the
    // replay brings it back with the others, and it is not counted as arrived.
    network.mute();
    await say(listener, 'mine, sent as the line went quiet');
    await waitForText(sender, 'mine, sent as the line went quiet');
    for (let i = 1; i <= 12; i++) await say(sender, `while away ${i}`);
    await waitNothingPending(sender);
    network.cut();
    await listener.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    expect(await listener.locator('#caught-up').isVisible()).toBe(false);
    network.restore();
    await waitLive(listener);
    await waitForText(listener, 'while away 12');

    const line = listener.locator('#caught-up');
    await line.waitFor({ state: 'visible' });
    expect(await line.textContent()).toBe('12 messages arrived while you were away');
    expect(await listener.locator('#announcer').textContent()).toBe(
      '12 messages arrived while you were away',
    );
    expect(await sender.locator('#caught-up').isVisible()).toBe(false);
  });
});
