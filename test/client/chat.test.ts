import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import {
  type PageGlobals,
  say,
  shownMessages,
  waitForText,
  waitLive,
  waitNothingPending,
} from './page-model.js';

const { server, browser } = useChatPages();

describe('the browser client', () => {
  it('lets two people chat both ways and shows the conversation to someone who joins later', async () => {
    const room = 'lobby';
    const alice = await browser.open(server.pageUrl({ room, name: 'alice' }));
    const bob = await browser.open(server.pageUrl({ room, name: 'bob' }));
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);

    await say(alice.page, 'hi bob');
    await waitForText(bob.page, 'hi bob');
    await say(bob.page, 'hello alice');
    await waitForText(alice.page, 'hello alice');
    await Promise.all([waitNothingPending(alice.page), waitNothingPending(bob.page)]);

    const carol = await browser.open(server.pageUrl({ room, name: 'carol' }));
    await waitForText(carol.page, 'hello alice');

    const expected = [
      { seq: 1, sender: 'alice', text: 'hi bob' },
      { seq: 2, sender: 'bob', text: 'hello alice' },
    ];
    expect(await shownMessages(alice.page)).toEqual([
      { ...expected[0], own: true },
      { ...expected[1], own: false },
    ]);
    expect(await shownMessages(bob.page)).toEqual([
      { ...expected[0], own: false },
      { ...expected[1], own: true },
    ]);
    expect(await shownMessages(carol.page)).toEqual(expected.map((m) => ({ ...m, own: false })));
    for (const { watch } of [alice, bob, carol]) {
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('shows markup in a message as text and runs none of it, live and replayed', async () => {
    const room = 'markup';
    const payload =
      '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2;alert(2)</script>' +
      '<b onmouseover="alert(3)">bold?</b>';
    const alice = await browser.open(server.pageUrl({ room, name: 'alice' }));
    const bob = await browser.open(server.pageUrl({ room, name: 'bob' }));
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);

    await say(alice.page, payload);
    await waitForText(bob.page, 'bold?');
    const carol = await browser.open(server.pageUrl({ room, name: 'carol' }));
    await waitForText(carol.page, 'bold?');
    await waitNothingPending(alice.page);

    for (const { page, watch } of [alice, bob, carol]) {
      await page.locator('#messages .bubble').first().hover();
      expect((await shownMessages(page)).map((m) => m.text)).toEqual([payload]);
      expect(await page.locator('#messages img, #messages script, #messages b').count()).toBe(0);
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned),
      ).toBeUndefined();
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('applies its own inline style under its Content-Security-Policy', async () => {
    const { page, watch } = await browser.open(server.pageUrl({ room: 'styled', name: 'dora' }));
    await waitLive(page);
    await say(page, 'styled?');
    await waitForText(page, 'styled?');
    const bubble = page.locator('#messages .bubble').first();
    expect(
      await bubble.evaluate(
        (node) => (globalThis as unknown as PageGlobals).getComputedStyle(node).borderTopLeftRadius,
      ),
    ).toBe('14px');
    expect(watch.cspViolations).toEqual([]);
  });

  it('saves screenshots of a conversation in light, dark and phone layouts', async () => {
    const room = 'launch-day';
    const alice = await browser.open(server.pageUrl({ room, name: 'Alice' }), {
      viewport: { width: 900, height: 760 },
    });
    const bob = await browser.open(server.pageUrl({ room, name: 'Bob' }));
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
    const lines: [typeof alice, string][] = [
      [bob, 'Morning! Is the new chat stack deployed?'],
      [alice, 'Yes, one cdk deploy and it was up: API Gateway, one Lambda, one table.'],
      [alice, 'The client is a single HTML file served from CloudFront.'],
      [bob, 'Nice. What happens if my train goes into a tunnel?'],
      [
        alice,
        'It reconnects by itself and resumes from the last message it saw.\nAnything you type meanwhile is queued and sent once you are back.',
      ],
      [bob, 'Nothing lost and nothing twice, then.'],
      [alice, 'Exactly. Try it: https://example.com/chat?room=launch-day'],
    ];
    for (const [who, text] of lines) {
      await say(who.page, text);
      await waitNothingPending(who.page);
    }
    await waitForText(alice.page, lines.at(-1)?.[1] ?? '');
    await say(bob.page, 'On my way');
    await waitForText(alice.page, 'On my way');
    await alice.page.locator('#input').fill('See you at the launch!');
    await mkdir('test-artifacts', { recursive: true });
    await alice.page.screenshot({ path: 'test-artifacts/client-conversation.png' });

    const dark = await browser.open(server.pageUrl({ room, name: 'Bob' }), { colorScheme: 'dark' });
    await waitForText(dark.page, 'On my way');
    await dark.page.screenshot({ path: 'test-artifacts/client-conversation-dark.png' });
    const phone = await browser.open(server.pageUrl({ room, name: 'Carol' }), {
      viewport: { width: 375, height: 720 },
    });
    await waitForText(phone.page, 'On my way');
    await phone.page.screenshot({ path: 'test-artifacts/client-conversation-phone.png' });
    expect(
      await phone.page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        return page.document.documentElement.scrollWidth <= page.innerWidth;
      }),
    ).toBe(true);
  });
});
