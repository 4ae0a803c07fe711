import { el, ui } from './dom.js';
import type { Edits } from './edits.js';
import { createMessageEdit } from './message-edit.js';
import type { Entry } from './message-log.js';
import { createMessageMenu, type MenuChoice } from './message-menu.js';
import { mayModerate, type Session } from './session.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const PREVIEW_CHARS = 24;

/** Which message a "⋯" button is for, short: whose, its first words, and when. */
export const actionsLabel = (entry: Entry) => {
  const text = entry.m.text.replace(/\s+/g, ' ').trim();
  const chars = [...text];
  const preview =
    chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('').trimEnd()}…` : text;
  const date = new Date(entry.m.sentAt);
  const at = Number.isNaN(date.getTime()) ? '' : ` at ${timeFormat.format(date)}`;
  const whose = entry.own ? 'your message' : `${entry.m.sender}’s message`;
  return `Actions for ${whose} “${preview}”${at}`;
};

/**
 * The actions on this page's own messages (edit, delete) and a moderator's delete on everyone
 * else's (the server judges who may), behind one "⋯" button per message that opens a small menu.
 */
export const createMessageTools = (edits: Edits, session: Session) => {
  const menu = createMessageMenu(ui.log);
  const forms = createMessageEdit(edits);

  const choices = (entry: Entry, back: HTMLElement): MenuChoice[] => [
    ...(entry.own
      ? [{ label: 'Edit', className: 'edit', run: () => forms.startEdit(entry, back) }]
      : []),
    { label: 'Delete', className: 'delete', run: () => forms.confirmDelete(entry) },
  ];
  const toolsOf = (entry: Entry) => entry.li.querySelector<HTMLButtonElement>('.tools button');
  /** Opens the message's actions; the focus goes back to `back` (the "⋯" button by default). */
  const actions = (entry: Entry, back?: HTMLElement) => {
    const button = toolsOf(entry);
    if (!button) return false;
    if (menu.isOpenAt(button)) menu.close(true);
    // An edit chosen from the message itself returns the focus there, not to the hidden "⋯".
    else menu.open(button, choices(entry, back ?? entry.li), back);
    return true;
  };

  const attach = (entry: Entry) => {
    if (entry.m.deleted || !(entry.own || mayModerate(session))) return;
    const tools = el('div', 'tools');
    const button = el('button', 'small more', '⋯');
    button.type = 'button';
    // The message list is one Tab stop: the keyboard reaches this through the message (Enter).
    button.tabIndex = -1;
    button.setAttribute('aria-haspopup', 'menu');
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'message-menu');
    button.setAttribute('aria-label', actionsLabel(entry));
    button.addEventListener('click', () => actions(entry));
    tools.append(button);
    entry.li.querySelector('.line')?.append(tools);
  };
  const detach = (entry: Entry) => {
    const button = toolsOf(entry);
    if (button && menu.isOpenAt(button)) menu.close(false);
    forms.close(entry, false);
    entry.li.querySelector('.tools')?.remove();
  };

  return {
    /** Gives a message its actions: this user's own, or anyone's to a moderator. */
    attach,
    actions,
    /** Edits the message, the focus going back to `back` (the composer, say) when done. */
    startEdit: forms.startEdit,
    /** Whose the message is, or whether this page moderates, may have changed: actions anew. */
    restyle(entry: Entry) {
      detach(entry);
      attach(entry);
    },
    /** A message changed: a deleted one keeps no actions, no form and none of its text. */
    refresh(entry: Entry) {
      if (entry.m.deleted) return detach(entry);
      toolsOf(entry)?.setAttribute('aria-label', actionsLabel(entry));
    },
  };
};

/** The actions of one page's messages. */
export type MessageTools = ReturnType<typeof createMessageTools>;
