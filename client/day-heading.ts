import { el } from './dom.js';

/**
 * Shows `label` (Today, Yesterday or a date) as a heading at the top of a message's item, or
 * removes it ('' for a message that does not start a day). An element, not CSS content: a
 * screen reader reads a heading apart from the sender's name after it, and can jump to it.
 */
export const showDay = (li: HTMLLIElement, label: string) => {
  const heading = li.querySelector(':scope > .day');
  if (!label) return heading?.remove();
  if (heading) {
    if (heading.textContent !== label) heading.textContent = label;
    return;
  }
  li.prepend(el('h2', 'day', label));
};
