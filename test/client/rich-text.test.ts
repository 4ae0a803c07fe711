import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { useChatPages } from './chat-pages.js';
import { type PageGlobals, say, waitForText, waitLive } from './page-model.js';

const { server, browser } = useChatPages();

/** Alice says each text in turn; answers Bob's page once the last has arrived there. */
const sayAll = async (room: string, texts: string[], colorScheme: 'light' | 'dark' = 'light') => {
  const alice = await browser.open(server.pageUrl({ room, name: 'alice' }), { colorScheme });
  const bob = await browser.open(server.pageUrl({ room, name: 'bob' }), { colorScheme });
  await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
  for (const text of texts) await say(alice.page, text);
  await waitForText(bob.page, 'the end');
  return { ...bob, alice: alice.page };
};

/** A node of the page, as far as these tests read it (the project compiles without lib.dom). */
interface PageNode {
  nodeType: number;
  textContent: string | null;
  localName: string;
  childNodes: ArrayLike<PageNode>;
  getAttribute(name: string): string | null;
}

/**
 * What the page built of each message's text, in order: its elements (a link with its address
 * only) and its text, escaped as markup would be.
 */
const bubbles = (page: Page) =>
  page.locator('#messages > li .bubble').evaluateAll((bubbles) => {
    const markup = (node: PageNode): string => {
      if (node.nodeType !== 1) {
        const text = node.textContent ?? '';
        return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
      }
      const tag = node.localName;
      const href = node.getAttribute('href');
      const inner = Array.from(node.childNodes, markup).join('');
      return `<${tag}${href === null ? '' : ` href="${href}"`}>${inner}</${tag}>`;
    };
    return bubbles.map((bubble) =>
      Array.from((bubble as unknown as PageNode).childNodes, markup).join(''),
    );
  });

/** How every link in a message opens: in a new tab, telling the other site nothing. */
const linkOpenings = (page: Page) =>
  page
    .locator('#messages a')
    .evaluateAll((links) =>
      links.map((a) => `${a.getAttribute('rel')} ${a.getAttribute('target')}`),
    );

describe('light markdown in a message', () => {
  it('shows bold, italics, code, code blocks and quotes as elements, with links inside them', async () => {
    const bob = await sayAll('markdown', [
      '**bold** and *it* and _also_ `a*b*c` snake_case_name 2*3*4 * not *',
      '**see https://example.com/a_b_c**',
      '> quoted *line*\n> and more\nmy answer',
      'look:\n```\nif (a < b) **x**\n```\nthe end',
    ]);
    expect(await bubbles(bob.page)).toEqual([
      '<strong>bold</strong> and <em>it</em> and <em>also</em> <code>a*b*c</code> snake_case_name 2*3*4 * not *',
      `<strong>see <a href="https://example.com/a_b_c">https://example.com/a_b_c</a></strong>`,
      '<blockquote>quoted <em>line</em>\nand more</blockquote>my answer',
      'look:<pre><code>if (a &lt; b) **x**</code></pre>the end',
    ]);
    expect(await bob.page.locator('#messages > li').nth(2).locator('.bubble').ariaSnapshot()).toBe(
      [
        '- blockquote:',
        '  - text: quoted',
        '  - emphasis: line',
        '  - text: and more',
        '- text: my answer',
      ].join('\n'),
    );
    expect(bob.watch.errors).toEqual([]);
  });

  it('keeps every message readable, its own and others’, light and dark', async () => {
    const texts = ['**bold** *it* `code`\n> quoted', '```\nblock\n```\nthe end'];
    for (const scheme of ['light', 'dark'] as const) {
      const bob = await sayAll(`markdown-${scheme}`, texts, scheme);
      await waitForText(bob.alice, 'the end');
      const marked = '#messages :is(strong, em, code, pre, blockquote)';
      expect(await bob.page.locator(marked).count()).toBe(6);
      expect(await bob.alice.locator(marked).count()).toBe(6);
      expect(await axeViolations(bob.page)).toEqual([]);
      expect(await axeViolations(bob.alice)).toEqual([]);
    }
  });

  it('never reads a message as HTML, inside markdown or out', async () => {
    const bob = await sayAll('markdown-safe', [
      '<img src=x onerror="window.__pwned=1">',
      '**<b onmouseover="window.__pwned=2">x</b>** _<script>window.__pwned=3</script>_',
      '`<i>code</i>` the end',
    ]);
    expect(await bubbles(bob.page)).toEqual([
      '&lt;img src=x onerror="window.__pwned=1"&gt;',
      '<strong>&lt;b onmouseover="window.__pwned=2"&gt;x&lt;/b&gt;</strong> <em>&lt;script&gt;window.__pwned=3&lt;/script&gt;</em>',
      '<code>&lt;i&gt;code&lt;/i&gt;</code> the end',
    ]);
    expect(await bob.page.locator('#messages img, #messages b, #messages script').count()).toBe(0);
    expect(
      await bob.page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned),
    ).toBeUndefined();
    expect(bob.watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });
});

describe('web addresses in a message', () => {
  it('are links, www. ones too (to https), without the punctuation after them', async () => {
    const bob = await sayAll('addresses', [
      'see www.example.com/path, or (https://en.wikipedia.org/wiki/Foo_(bar)). Or www.test.org.',
      'not me@www.mail.example nor notwww.example.com, the end',
    ]);
    expect(await linkOpenings(bob.page)).toEqual(
      Array(3).fill('noopener noreferrer nofollow _blank'),
    );
    expect(await bubbles(bob.page)).toEqual([
      `see <a href="https://www.example.com/path">www.example.com/path</a>, or (<a href="https://en.wikipedia.org/wiki/Foo_(bar)">https://en.wikipedia.org/wiki/Foo_(bar)</a>). Or <a href="https://www.test.org">www.test.org</a>.`,
      'not me@www.mail.example nor notwww.example.com, the end',
    ]);
    expect(
      await bob.page.locator('#messages > li').first().locator('.bubble').ariaSnapshot(),
    ).toContain('- link "www.example.com/path":\n  - /url: https://www.example.com/path');
  });
});
