import { ui } from './dom.js';
import type { Entry, MessageLog } from './message-log.js';
import type { MessageTools } from './message-tools.js';

// The message list is one Tab stop (a roving tabindex): one item has tabindex 0, the others -1,
// and the arrow keys, Home and End move between them. Links in a message are reached by Tab from
// that message only, so however many messages there are, Tab from the list reaches the composer.

const LINKS = 'a[href]';
// A long press on a touch screen fires `contextmenu` (Android); a mouse's right click keeps the
// browser's own menu.
const LONG_PRESS_SOURCES = new Set(['touch', 'pen']);

const isItem = (node: unknown): node is HTMLLIElement =>
  node instanceof HTMLLIElement && node.parentElement === ui.messages;

/** Arrow keys, Home, End and Enter over the messages, and ↑ in an empty composer. */
export const wireMessageKeys = (log: MessageLog, tools: MessageTools) => {
  let active: HTMLLIElement | null = null;

  const setTabbable = (li: HTMLLIElement, on: boolean) => {
    li.tabIndex = on ? 0 : -1;
    for (const link of li.querySelectorAll<HTMLElement>(LINKS)) {
      if (on) link.removeAttribute('tabindex');
      else link.tabIndex = -1;
    }
  };
  const activate = (li: HTMLLIElement | null) => {
    if (li === active) return;
    if (active?.isConnected) setTabbable(active, false);
    active = li;
    if (li) setTabbable(li, true);
  };
  const entryOf = (li: HTMLLIElement): Entry | undefined => log.get(Number(li.dataset.seq));

  // New items (and links in a message shown anew) are not Tab stops, but for the active one.
  // Until the reader is in the list, the newest message is the one Tab lands on.
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        if (isItem(node)) setTabbable(node, false);
        else if (node instanceof Element) {
          const li = node.closest('#messages > li');
          const links = node.matches(LINKS) ? [node] : node.querySelectorAll(LINKS);
          if (li !== active) for (const link of links) (link as HTMLElement).tabIndex = -1;
        }
      }
    const inside = ui.messages.contains(document.activeElement);
    const last = ui.messages.lastElementChild;
    if (active?.isConnected && active.parentElement === ui.messages && inside) {
      setTabbable(active, true);
      return;
    }
    activate(isItem(last) ? last : null);
  }).observe(ui.messages, { childList: true, subtree: true });

  ui.messages.addEventListener('focusin', (event) => {
    const li = (event.target as Element).closest('#messages > li');
    if (isItem(li)) activate(li);
  });

  ui.messages.addEventListener('keydown', (event) => {
    const li = event.target;
    if (!isItem(li) || event.altKey || event.ctrlKey || event.metaKey) return;
    const items = ui.messages.children;
    const at = Array.prototype.indexOf.call(items, li);
    let next: Element | null | undefined;
    if (event.key === 'ArrowUp') next = items[Math.max(0, at - 1)];
    else if (event.key === 'ArrowDown') next = items[Math.min(items.length - 1, at + 1)];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items[items.length - 1];
    else if (
      event.key === 'Enter' ||
      event.key === 'ContextMenu' ||
      (event.key === 'F10' && event.shiftKey)
    ) {
      const entry = entryOf(li);
      if (entry) tools.actions(entry, li);
    } else return;
    event.preventDefault();
    if (isItem(next)) next.focus();
  });

  let lastPointer = '';
  ui.messages.addEventListener('pointerdown', (event) => {
    lastPointer = event.pointerType;
  });
  ui.messages.addEventListener('contextmenu', (event) => {
    const li = (event.target as Element).closest('#messages > li');
    if (!isItem(li)) return;
    // From the keyboard it comes to the focused message itself (when its keydown did not open
    // the actions already).
    const fromKey = event.target === li;
    if (!fromKey && !LONG_PRESS_SOURCES.has(lastPointer)) return;
    event.preventDefault();
    const entry = entryOf(li);
    if (entry) tools.actions(entry, fromKey ? li : undefined);
  });

  // ↑ in an empty composer edits this user's last message; the focus comes back after.
  ui.input.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowUp' || ui.input.value !== '' || event.isComposing) return;
    if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    for (let i = log.seqs.length - 1; i >= 0; i--) {
      const entry = log.get(log.seqs[i] as number);
      if (!entry?.own || entry.m.deleted || !entry.li.querySelector('.tools')) continue;
      event.preventDefault();
      tools.startEdit(entry, ui.input);
      return;
    }
  });
};
