/** One element of the page by id, of the type the template (client/page.html) gives it. */
const byId = <T extends HTMLElement>(id: string, type: { new (): T; name: string }): T => {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return node;
};

/** The page's elements this script reads or changes. */
export const ui = {
  joinView: byId('join-view', HTMLElement),
  joinForm: byId('join-form', HTMLFormElement),
  joinRoom: byId('join-room', HTMLInputElement),
  joinName: byId('join-name', HTMLInputElement),
  joinError: byId('join-error', HTMLParagraphElement),
  joinButton: byId('join-button', HTMLButtonElement),
  chatView: byId('chat-view', HTMLDivElement),
  roomTitle: byId('room-title', HTMLHeadingElement),
  me: byId('me', HTMLSpanElement),
  status: byId('status', HTMLParagraphElement),
  statusText: byId('status-text', HTMLSpanElement),
  statusDetail: byId('status-detail', HTMLSpanElement),
  statusNote: byId('status-note', HTMLSpanElement),
  retryNow: byId('retry-now', HTMLButtonElement),
  leave: byId('leave', HTMLButtonElement),
  menuButton: byId('menu-button', HTMLButtonElement),
  headerMenu: byId('header-menu', HTMLDivElement),
  moderate: byId('moderate', HTMLButtonElement),
  presence: byId('presence', HTMLElement),
  presenceCount: byId('presence-count', HTMLButtonElement),
  presenceNames: byId('presence-names', HTMLUListElement),
  roomPanel: byId('room-panel', HTMLElement),
  settingsForm: byId('settings-form', HTMLFormElement),
  slowMode: byId('slow-mode', HTMLSelectElement),
  readOnly: byId('read-only', HTMLInputElement),
  inForce: byId('in-force', HTMLUListElement),
  inForceNone: byId('in-force-none', HTMLParagraphElement),
  memberPanel: byId('member-panel', HTMLElement),
  memberForm: byId('member-form', HTMLFormElement),
  memberName: byId('member-name', HTMLSpanElement),
  modReason: byId('mod-reason', HTMLInputElement),
  modMinutes: byId('mod-minutes', HTMLSelectElement),
  modError: byId('mod-error', HTMLParagraphElement),
  modKick: byId('mod-kick', HTMLButtonElement),
  modMute: byId('mod-mute', HTMLButtonElement),
  modBan: byId('mod-ban', HTMLButtonElement),
  modCancel: byId('mod-cancel', HTMLButtonElement),
  log: byId('log', HTMLElement),
  loadOlder: byId('load-older', HTMLButtonElement),
  loadingOlder: byId('loading-older', HTMLParagraphElement),
  beginning: byId('beginning', HTMLParagraphElement),
  messages: byId('messages', HTMLOListElement),
  pending: byId('pending', HTMLOListElement),
  announcer: byId('announcer', HTMLDivElement),
  newPill: byId('new-pill', HTMLButtonElement),
  linkBanner: byId('link-banner', HTMLParagraphElement),
  caughtUp: byId('caught-up', HTMLParagraphElement),
  notice: byId('notice', HTMLDivElement),
  noticeText: byId('notice-text', HTMLSpanElement),
  noticeClose: byId('notice-close', HTMLButtonElement),
  typing: byId('typing', HTMLParagraphElement),
  typingNews: byId('typing-news', HTMLParagraphElement),
  composer: byId('composer', HTMLFormElement),
  rules: byId('room-rules', HTMLParagraphElement),
  input: byId('input', HTMLTextAreaElement),
  send: byId('send', HTMLButtonElement),
  counter: byId('counter', HTMLSpanElement),
};

/** A new element with an optional class and text (always as text, never as markup). */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

const segmenter =
  typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter('en', { granularity: 'grapheme' })
    : null;

/** Characters as a person counts them (grapheme clusters), as the server counts them. */
export const countChars = (text: string) => {
  if (!segmenter) return [...text].length;
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
};
