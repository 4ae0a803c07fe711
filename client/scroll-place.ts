import { ui } from './dom.js';
import type { MessageLog } from './message-log.js';

/** The first message still visible at the top of the log, and where it is. */
export type ScrollAnchor = { node: Element; top: number } | null;

/** Finds the first message still visible at the top, to keep it in place when others are inserted. */
export const scrollAnchor = (log: MessageLog): ScrollAnchor => {
  const top = ui.log.scrollTop;
  let lo = 0;
  let hi = log.seqs.length - 1;
  let found: HTMLLIElement | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const li = log.get(log.seqs[mid])?.li;
    if (li && li.offsetTop + li.offsetHeight > top) {
      found = li;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  // The bubble, not the item: an item's date line and sender line can come and go on regrouping.
  const node = found?.querySelector('.bubble');
  return node ? { node, top: node.getBoundingClientRect().top } : null;
};

/** Puts the anchor back where it was on screen, if it is still shown. */
export const restoreAnchor = (anchor: ScrollAnchor) => {
  if (anchor?.node.isConnected) {
    ui.log.scrollTop += anchor.node.getBoundingClientRect().top - anchor.top;
  }
};

/** The first item shown (a message or a moderation line) with a seq above `seq`. */
export const itemAfter = (seq: number) => {
  const items = ui.messages.children;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Number((items[mid] as HTMLElement).dataset.seq) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return items[lo] ?? null;
};
