import { ui } from './dom.js';

/**
 * The count of people is a button that opens the whole list: closed, the list keeps to one line
 * of whole names (client/style.css), so a narrow screen shows fewer names, never half of one.
 * Focus reaching a name (a moderator's Tab) opens it too, so nothing focused is out of sight.
 */
export const wirePresenceList = () => {
  const set = (open: boolean) => {
    if (open) ui.presence.dataset.open = '';
    else delete ui.presence.dataset.open;
    ui.presenceCount.setAttribute('aria-expanded', String(open));
  };
  ui.presenceCount.addEventListener('click', () => set(ui.presence.dataset.open === undefined));
  ui.presenceNames.addEventListener('focusin', () => set(true));
  ui.presence.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || ui.presence.dataset.open === undefined) return;
    event.preventDefault();
    set(false);
    ui.presenceCount.focus();
  });
};
