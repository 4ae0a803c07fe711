import { el } from './dom.js';
import { messageElement } from './message-element.js';
import type { Pending } from './outbox.js';

/** What a failed message's buttons do. */
export interface PendingActions {
  retry: (p: Pending) => void;
  remove: (p: Pending) => void;
}

/** The list item of a message typed here and not yet delivered, with a line for its state. */
export const pendingItem = (p: Pending, sender: string) => {
  const li = messageElement({ sender, text: p.text, sentAt: '' }, true);
  li.classList.add('pending');
  li.dataset.id = p.id;
  const state = el('span', 'state');
  li.querySelector('.meta')?.append(state);
  return { li, state };
};

/** Shows where a message stands: sending, waiting for a connection, or failed (Retry, Remove). */
export const showPendingState = (p: Pending, connected: boolean, actions: PendingActions) => {
  if (!p.shown) return;
  const { li, state } = p.shown;
  li.classList.toggle('failed', p.status === 'failed');
  if (p.status !== 'failed') li.querySelector('.actions')?.remove();
  if (p.status === 'failed') {
    state.textContent = `Not sent. ${p.error}`;
    if (li.querySelector('.actions')) return;
    const buttons = el('div', 'actions');
    const retry = el('button', '', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => actions.retry(p));
    const remove = el('button', '', 'Remove');
    remove.type = 'button';
    remove.addEventListener('click', () => actions.remove(p));
    buttons.append(retry, remove);
    li.append(buttons);
  } else {
    state.textContent = connected ? 'sending…' : 'waiting for connection…';
  }
};
