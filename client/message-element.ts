import { el } from './dom.js';
import { richText } from './rich-text.js';
import type { ChatMessage } from './wire.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
});

/** What a message item shows. */
export type Shown = Pick<
  ChatMessage,
  'sender' | 'text' | 'sentAt' | 'editedAt' | 'deleted' | 'deletedAt'
>;

/** The calendar day a message was sent on, to compare two ('' when its time is unreadable). */
export const dayOf = (m: Shown) => {
  const d = new Date(m.sentAt);
  return Number.isNaN(d.getTime()) ? '' : d.toDateString();
};

/** The heading above a day's first message: Today, Yesterday or the date. */
export const dayLabel = (m: Shown) => {
  const d = new Date(m.sentAt);
  if (Number.isNaN(d.getTime())) return '';
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return dayFormat.format(d);
};

/** `Edited …` / `Deleted …` with the full time, for a tooltip (the bare word without a time). */
const when = (what: string, iso: string | undefined) => {
  const date = new Date(iso ?? '');
  return Number.isNaN(date.getTime()) ? what : `${what} ${fullFormat.format(date)}`;
};

/**
 * Shows a message's current state in its item: its text and an "(edited)" mark, or only
 * "message deleted" (its text, gone from the log, is not kept on the page either).
 */
export const showBody = (li: HTMLLIElement, m: Shown) => {
  const bubble = li.querySelector('.bubble');
  const line = li.querySelector('.line');
  if (!(bubble instanceof HTMLElement) || !line) return;
  bubble.replaceChildren();
  bubble.classList.toggle('deleted', m.deleted === true);
  li.classList.toggle('deleted', m.deleted === true);
  if (m.deleted) {
    bubble.textContent = 'message deleted';
    bubble.title = when('Deleted', m.deletedAt);
  } else bubble.append(...richText(m.text));
  let mark = line.querySelector('.edited');
  if (m.editedAt === undefined || m.deleted) return mark?.remove();
  if (!mark) {
    mark = el('span', 'edited', '(edited)');
    bubble.after(mark);
  }
  (mark as HTMLElement).title = when('Edited', m.editedAt);
};

/** A message's list item: sender and time above its bubble (and its edited mark). */
export const messageElement = (m: Shown, own: boolean) => {
  const li = el('li', own ? 'msg own' : 'msg');
  const meta = el('div', 'meta');
  const time = el('time');
  const date = new Date(m.sentAt);
  if (!Number.isNaN(date.getTime())) {
    time.dateTime = m.sentAt;
    time.textContent = timeFormat.format(date);
    time.title = fullFormat.format(date);
  }
  // dir=auto isolates each name and text: a bidirectional override cannot reorder what is
  // around it.
  const sender = el('span', 'sender', m.sender);
  sender.dir = 'auto';
  meta.append(sender, time);
  const bubble = el('div', 'bubble');
  bubble.dir = 'auto';
  const line = el('div', 'line');
  line.append(bubble);
  li.append(meta, line);
  showBody(li, m);
  return li;
};
