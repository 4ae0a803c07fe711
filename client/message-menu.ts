import { el } from './dom.js';

/** One choice in a message's actions menu. */
export interface MenuChoice {
  label: string;
  className?: string;
  run: () => void;
}

/**
 * The one popup menu of message actions (only one is ever open): it opens beside a message's
 * "⋯" button, moves with the arrow keys, Home and End, and Escape closes it and puts the focus
 * back where it was. It lives inside the scrolling log so that it stays in the log's landmark,
 * and is fixed to the viewport so that the log's edges never cut it off.
 */
export const createMessageMenu = (host: HTMLElement) => {
  const menu = el('div', 'msg-menu');
  menu.id = 'message-menu';
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', 'Message actions');
  menu.hidden = true;
  host.append(menu);
  let button: HTMLElement | null = null;
  let returnTo: HTMLElement | null = null;

  const items = () => [...menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  const place = () => {
    if (!button) return;
    const at = button.getBoundingClientRect();
    const bounds = host.getBoundingClientRect();
    // The message scrolled out of the log: the menu would point at nothing.
    if (at.bottom < bounds.top || at.top > bounds.bottom) return close(false);
    const height = menu.offsetHeight;
    const below = at.bottom + 4 + height <= Math.min(bounds.bottom, innerHeight);
    menu.style.top = `${below ? at.bottom + 4 : Math.max(4, at.top - 4 - height)}px`;
    menu.style.left = `${Math.max(4, Math.min(at.right - menu.offsetWidth, innerWidth - menu.offsetWidth - 4))}px`;
  };
  const close = (refocus: boolean) => {
    if (menu.hidden) return;
    menu.hidden = true;
    menu.replaceChildren();
    button?.setAttribute('aria-expanded', 'false');
    const back = returnTo;
    button = null;
    returnTo = null;
    if (refocus && back?.isConnected) back.focus({ preventScroll: true });
  };

  menu.addEventListener('keydown', (event) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => all[(i + all.length) % all.length]?.focus();
    if (event.key === 'ArrowDown') go(at + 1);
    else if (event.key === 'ArrowUp') go(at - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(-1);
    else if (event.key === 'Escape' || event.key === 'Tab') close(true);
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  // Anything done elsewhere (a click, the focus moving away) closes it, without taking the focus.
  document.addEventListener(
    'pointerdown',
    (event) => {
      if (!menu.contains(event.target as Node) && event.target !== button) close(false);
    },
    true,
  );
  menu.addEventListener('focusout', (event) => {
    if (!menu.contains(event.relatedTarget as Node | null)) close(false);
  });
  // The context menu key pressed on a message opens this, then asks for the browser's menu here.
  menu.addEventListener('contextmenu', (event) => event.preventDefault());
  host.addEventListener('scroll', place, { passive: true });
  addEventListener('resize', place);

  return {
    /** Opens the menu at `opener` ("⋯"); closing it puts the focus on `back` (or the opener). */
    open(opener: HTMLElement, choices: MenuChoice[], back: HTMLElement = opener) {
      close(false);
      for (const choice of choices) {
        const item = el('button', choice.className ?? '', choice.label);
        item.type = 'button';
        item.tabIndex = -1;
        item.setAttribute('role', 'menuitem');
        item.addEventListener('click', () => {
          close(false);
          choice.run();
        });
        menu.append(item);
      }
      button = opener;
      returnTo = back;
      opener.setAttribute('aria-expanded', 'true');
      menu.hidden = false;
      place();
      items()[0]?.focus({ preventScroll: true });
    },
    /** Whether the menu is open at this "⋯" button. */
    isOpenAt: (opener: HTMLElement) => !menu.hidden && button === opener,
    close,
  };
};

/** The message actions menu of one page. */
export type MessageMenu = ReturnType<typeof createMessageMenu>;
