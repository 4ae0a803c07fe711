import { updateComposer, wireComposer } from './composer.js';
import { ui } from './dom.js';
import { wireHeaderMenu } from './header-menu.js';
import type { Link } from './link.js';
import type { OlderPages } from './older.js';
import type { Outbox } from './outbox.js';
import type { RoomRules } from './room-rules.js';
import type { Timeline } from './timeline.js';
import type { Typing } from './typing.js';

/** What the page's own controls and the browser's events act on. */
export interface PageEventParts {
  join: (room: string, name: string) => Promise<void>;
  leave: () => void;
  outbox: Outbox;
  rules: RoomRules;
  timeline: Timeline;
  older: OlderPages;
  link: Link;
  typing: Typing;
  attention: { seen(): void };
}

/**
 * Wires the join form, the composer, the log's scrolling and buttons, and the browser's network,
 * visibility and resize events to the parts they drive.
 */
export const wirePageEvents = (parts: PageEventParts) => {
  const { join, leave, outbox, rules, timeline, older, link, typing, attention } = parts;
  ui.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void join(ui.joinRoom.value.trim(), ui.joinName.value.trim());
  });
  wireComposer((text) => {
    outbox.add(text);
    rules.sent();
    ui.input.value = '';
    updateComposer();
    timeline.scrollToBottom();
    outbox.pump();
  });
  ui.input.addEventListener('input', typing.typed);
  ui.log.addEventListener(
    'scroll',
    () => {
      timeline.scrolled();
      older.maybeLoad();
    },
    { passive: true },
  );
  ui.newPill.addEventListener('click', () => {
    timeline.scrollToBottom();
    ui.input.focus();
  });
  ui.loadOlder.addEventListener('click', () => older.maybeLoad(true));
  ui.retryNow.addEventListener('click', () => {
    link.resetAttempts();
    link.reconnectNow();
  });
  ui.leave.addEventListener('click', leave);
  wireHeaderMenu();
  ui.noticeClose.addEventListener('click', () => {
    ui.notice.hidden = true;
    ui.input.focus();
  });
  addEventListener('online', () => link.reconnectNow());
  addEventListener('offline', () => link.close('offline'));
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    timeline.seen();
    attention.seen();
    if (link.retrying) link.reconnectNow();
  });
  // Keep the newest message in view when the log shrinks (the composer grows, a phone keyboard
  // opens).
  new ResizeObserver(() => {
    if (timeline.atBottom) timeline.scrollToBottom();
  }).observe(ui.log);
};
