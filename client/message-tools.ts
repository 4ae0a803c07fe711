import { fits, measureText } from './composer.js';
import { el } from './dom.js';
import type { Edits } from './edits.js';
import type { Entry } from './message-log.js';
import { mayModerate, type Session } from './session.js';

/** Whether a key press ends a line (Enter without Shift, not while an input method composes). */
const isEnter = (event: KeyboardEvent) =>
  event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;

const button = (text: string, className: string, label: string) => {
  const b = el('button', `small ${className}`.trim(), text);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  return b;
};

/**
 * The edit and delete controls of this page's own messages, and a moderator's delete on everyone
 * else's (the server judges who may): editing in place (Enter saves, Escape cancels) and deleting
 * after an inline confirmation.
 */
export const createMessageTools = (edits: Edits, session: Session) => {
  /** Closes an open edit form or confirmation, putting the focus back on the message's tools. */
  const close = (entry: Entry, focus: boolean) => {
    entry.li.classList.remove('editing');
    entry.li.querySelector('.edit-form')?.remove();
    entry.li.querySelector('.confirm')?.remove();
    if (focus) entry.li.querySelector<HTMLButtonElement>('.tools button')?.focus();
  };

  const startEdit = (entry: Entry) => {
    close(entry, false);
    const form = el('form', 'edit-form');
    form.noValidate = true;
    const input = el('textarea');
    input.value = entry.m.text;
    input.rows = Math.min(8, entry.m.text.split('\n').length);
    input.setAttribute('aria-label', 'Edit your message');
    const hint = el('span', 'edit-hint', 'Enter to save · Escape to cancel');
    const save = button('Save', 'primary', 'Save the edit');
    save.type = 'submit';
    const cancel = button('Cancel', '', 'Cancel the edit');
    const row = el('div', 'edit-row');
    row.append(hint, cancel, save);
    form.append(input, row);
    const submit = () => {
      const measured = measureText(input.value);
      if (measured.text === entry.m.text) return close(entry, true);
      if (!fits(measured)) return input.setAttribute('aria-invalid', 'true');
      if (edits.edit(entry.m.seq, measured.text)) close(entry, true);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    input.addEventListener('keydown', (event) => {
      if (isEnter(event)) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') close(entry, true);
    });
    cancel.addEventListener('click', () => close(entry, true));
    entry.li.classList.add('editing');
    entry.li.append(form);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  };

  const confirmDelete = (entry: Entry) => {
    close(entry, false);
    const box = el('div', 'confirm');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Delete this message?');
    const yes = button('Delete', 'danger', 'Delete this message for everyone');
    const no = button('Cancel', '', 'Keep this message');
    box.append(el('span', '', 'Delete this message for everyone?'), yes, no);
    yes.addEventListener('click', () => {
      if (edits.remove(entry.m.seq)) close(entry, true);
    });
    no.addEventListener('click', () => close(entry, true));
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close(entry, true);
    });
    entry.li.append(box);
    no.focus();
  };

  const attach = (entry: Entry) => {
    if (entry.m.deleted || !(entry.own || mayModerate(session))) return;
    const tools = el('div', 'tools');
    if (entry.own) {
      const edit = button('Edit', 'edit', 'Edit this message');
      edit.addEventListener('click', () => startEdit(entry));
      tools.append(edit);
    }
    const remove = button('Delete', 'delete', 'Delete this message');
    remove.addEventListener('click', () => confirmDelete(entry));
    tools.append(remove);
    entry.li.querySelector('.line')?.append(tools);
  };

  return {
    /** Gives a message its controls: this user's own, or anyone's to a moderator. */
    attach,
    /** Whose the message is, or whether this page moderates, may have changed: controls anew. */
    restyle(entry: Entry) {
      close(entry, false);
      entry.li.querySelector('.tools')?.remove();
      attach(entry);
    },
    /** A message changed: a deleted one keeps no controls, no form and none of its text. */
    refresh(entry: Entry) {
      if (!entry.m.deleted) return;
      close(entry, false);
      entry.li.querySelector('.tools')?.remove();
    },
  };
};

/** The controls of one page's own messages. */
export type MessageTools = ReturnType<typeof createMessageTools>;
