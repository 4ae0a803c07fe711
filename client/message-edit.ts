import { fits, measureText } from './composer.js';
import { el } from './dom.js';
import type { Edits } from './edits.js';
import type { Entry } from './message-log.js';

/** Whether a key press ends a line (Enter without Shift, not while an input method composes). */
const isEnter = (event: KeyboardEvent) =>
  event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;

/** A small button with its accessible name. */
export const smallButton = (text: string, className: string, label: string) => {
  const b = el('button', `small ${className}`.trim(), text);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  return b;
};

/**
 * Editing a message in place (Enter saves, Escape cancels) and deleting one after an inline
 * confirmation. Closing either puts the focus back where it was asked for: the message, or the
 * composer when the edit was started from there.
 */
export const createMessageEdit = (edits: Edits) => {
  /** Where the focus goes back to when each message's open form closes. */
  const back = new WeakMap<Entry, HTMLElement>();

  const close = (entry: Entry, focus: boolean) => {
    entry.li.classList.remove('editing');
    entry.li.querySelector('.edit-form')?.remove();
    entry.li.querySelector('.confirm')?.remove();
    const target = back.get(entry) ?? entry.li;
    back.delete(entry);
    if (focus && target.isConnected) target.focus();
  };

  const startEdit = (entry: Entry, returnTo?: HTMLElement) => {
    close(entry, false);
    if (returnTo) back.set(entry, returnTo);
    const form = el('form', 'edit-form');
    form.noValidate = true;
    const input = el('textarea');
    input.value = entry.m.text;
    input.rows = Math.min(8, entry.m.text.split('\n').length);
    input.setAttribute('aria-label', 'Edit your message');
    const hint = el('span', 'edit-hint', 'Enter to save · Escape to cancel');
    const save = smallButton('Save', 'primary', 'Save the edit');
    save.type = 'submit';
    const cancel = smallButton('Cancel', '', 'Cancel the edit');
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
    const yes = smallButton('Delete', 'danger', 'Delete this message for everyone');
    const no = smallButton('Cancel', '', 'Keep this message');
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

  return {
    startEdit,
    confirmDelete,
    /** Closes the message's open form or confirmation, with or without taking the focus back. */
    close,
  };
};
