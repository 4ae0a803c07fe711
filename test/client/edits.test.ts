import { describe, expect, it } from 'vitest';
import { listenerAndSender, stopAfterEach, useChatPages } from './chat-pages.js';
import { startFlakyNetwork } from './flaky-network.js';
import {
  chooseAction,
  deleteMessage,
  editMessage,
  messageItem,
  pageMemory,
  say,
  shownStates,
  waitForText,
  waitLive,
  waitNothingPending,
} from './page-model.js';
import { startWsRelay } from './ws-relay.js';

const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

/** Alice and Bob live in a fresh room, Alice having said `texts` (seqs 1, 2, …). */
const aliceSaid = async (room: string, texts: string[]) => {
  const alice = await browser.open(server.pageUrl({ room, name: 'alice' }));
  const bob = await browser.open(server.pageUrl({ room, name: 'bob' }));
  await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
  for (const text of texts) await say(alice.page, text);
  await waitNothingPending(alice.page);
  await waitForText(bob.page, texts.at(-1) ?? '');
  return { alice, bob };
};

const state = (seq: number, text: string, marks: { edited?: boolean; tools?: boolean } = {}) =>
  expect.objectContaining({
    seq,
    text,
    edited: marks.edited ?? false,
    deleted: false,
    tools: marks.tools ?? false,
  });
const deleted = (seq: number) =>
  expect.objectContaining({
    seq,
    text: 'message deleted',
    edited: false,
    deleted: true,
    tools: false,
  });

describe('editing and deleting one’s own messages', () => {
  it('edits a message in place with Enter, and every page shows the new text marked edited', async () => {
    const { alice, bob } = await aliceSaid('edit-live', ['helo wrld']);
    await editMessage(alice.page, 1, 'hello world');
    await waitForText(bob.page, 'hello world');
    await waitForText(alice.page, 'hello world');

    expect(await shownStates(alice.page)).toEqual([
      state(1, 'hello world', { edited: true, tools: true }),
    ]);
    expect(await shownStates(bob.page)).toEqual([state(1, 'hello world', { edited: true })]);
    const [mark] = await shownStates(bob.page);
    expect(mark?.editedTitle).toMatch(/^Edited \S/);
    for (const { watch } of [alice, bob]) {
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('cancels an edit with Escape and sends nothing', async () => {
    const relay = stopLater(await startWsRelay(server.wsUrl));
    const { page } = await browser.open(server.pageUrl({ room: 'edit-cancel', name: 'alice' }), {
      webSocketUrl: relay.wsUrl,
    });
    await waitLive(page);
    await say(page, 'as it was');
    await waitNothingPending(page);
    const item = messageItem(page, 1);
    await chooseAction(page, 1, 'Edit');
    await item.locator('.edit-form textarea').fill('never sent');
    await item.locator('.edit-form textarea').press('Escape');

    expect(await item.locator('.edit-form').count()).toBe(0);
    expect(await shownStates(page)).toEqual([state(1, 'as it was', { tools: true })]);
    expect(relay.fromBrowser.filter((f) => f.action === 'editmessage')).toEqual([]);
  });

  it('deletes a message only after an inline confirmation, and no page keeps its text', async () => {
    const { alice, bob } = await aliceSaid('delete-live', ['keep this', 'secret plan']);
    const item = messageItem(alice.page, 2);
    await chooseAction(alice.page, 2, 'Delete');
    await item.getByRole('button', { name: 'Keep this message' }).click();
    expect((await shownStates(alice.page)).map((m) => m.text)).toEqual([
      'keep this',
      'secret plan',
    ]);

    await deleteMessage(alice.page, 2);
    await waitForText(bob.page, 'message deleted');
    await waitForText(alice.page, 'message deleted');
    const carol = await browser.open(server.pageUrl({ room: 'delete-live', name: 'carol' }));
    await waitForText(carol.page, 'message deleted');

    for (const { page, watch } of [alice, bob, carol]) {
      expect((await shownStates(page))[1]).toEqual(deleted(2));
      expect(await pageMemory(page)).not.toContain('secret plan');
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('offers no controls on someone else’s message and shows the server’s refusal when one is forced', async () => {
    const { alice, bob } = await aliceSaid('not-yours', ['mine alone']);
    expect(await shownStates(bob.page)).toEqual([state(1, 'mine alone')]);
    expect(await messageItem(bob.page, 1).getByRole('button').count()).toBe(0);

    await bob.page.evaluate(() => {
      const { __chat } = globalThis as unknown as { __chat: { socket: { send(s: string): void } } };
      __chat.socket.send(JSON.stringify({ action: 'editmessage', seq: 1, message: 'hijacked' }));
    });
    const notice = bob.page.locator('#notice-text');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toBe('Only its author can edit message 1.');
    expect((await shownStates(alice.page)).map((m) => m.text)).toEqual(['mine alone']);
    expect((await shownStates(bob.page)).map((m) => m.text)).toEqual(['mine alone']);
  });

  it('keeps the latest edit when an older one arrives after it', async () => {
    const room = 'edits-crossed';
    const relay = stopLater(await startWsRelay(server.wsUrl));
    const { listener, sender } = await listenerAndSender(browser, server, room, relay.wsUrl);
    await say(sender, 'v1');
    await waitForText(listener, 'v1');
    relay.judge = (frame) => (frame.type === 'edit' && frame.text === 'v2' ? 'hold' : 'pass');
    await editMessage(sender, 1, 'v2');
    await waitForText(sender, 'v2');
    await editMessage(sender, 1, 'v3');
    await waitForText(listener, 'v3');
    relay.release();
    await expect.poll(() => relay.toBrowser.filter((f) => f.type === 'edit').length).toBe(2);

    expect(relay.toBrowser.filter((f) => f.type === 'edit').map((f) => f.text)).toEqual([
      'v3',
      'v2',
    ]);
    expect(await shownStates(listener)).toEqual([state(1, 'v3', { edited: true })]);
  });

  it('shows an edit and a deletion made while it was offline once it is back, and the deleted text nowhere', async () => {
    const network = stopLater(await startFlakyNetwork(server.wsUrl));
    const { listener, sender } = await listenerAndSender(browser, server, 'tunnel', network.wsUrl);
    await say(sender, 'first draft');
    await say(sender, 'regret this');
    await waitForText(listener, 'regret this');

    network.cut();
    await listener.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await editMessage(sender, 1, 'final text');
    await waitForText(sender, 'final text');
    await deleteMessage(sender, 2);
    await waitForText(sender, 'message deleted');
    network.restore();
    await waitForText(listener, 'message deleted');
    await waitForText(listener, 'final text');

    expect(await shownStates(listener)).toEqual([
      state(1, 'final text', { edited: true }),
      deleted(2),
    ]);
    expect(await pageMemory(listener)).not.toContain('regret this');
    expect(await pageMemory(listener)).not.toContain('first draft');
    const hook = await listener.evaluate(() => {
      const { __chat } = globalThis as unknown as {
        __chat: { contiguous: number | null; updates: number[] };
      };
      return { contiguous: __chat.contiguous, updates: __chat.updates };
    });
    expect(hook).toEqual({ contiguous: 4, updates: [3, 4] });
  });

  it('shows the current state after a reload: the edited text and the deletion', async () => {
    const { alice } = await aliceSaid('reloaded', ['typo', 'oops', 'fine']);
    await editMessage(alice.page, 1, 'no typo');
    await waitForText(alice.page, 'no typo');
    await deleteMessage(alice.page, 2);
    await waitForText(alice.page, 'message deleted');

    await alice.page.reload();
    await waitLive(alice.page);
    await waitForText(alice.page, 'fine');
    expect(await shownStates(alice.page)).toEqual([
      state(1, 'no typo', { edited: true, tools: true }),
      deleted(2),
      state(3, 'fine', { tools: true }),
    ]);
    expect(await pageMemory(alice.page)).not.toContain('oops');
  });
});
