import { el, ui } from './dom.js';

/**
 * Keeps a phone's header to one line: who you are, Moderate and Leave open from a menu button
 * there (on a wide screen the button is not shown and they sit in the header: client/style.css).
 * The menu also spells out the status its dot stands for. It closes on a pick, on Escape (focus
 * back to its button), and when a click or focus goes elsewhere.
 */
export const wireHeaderMenu = () => {
  const header = ui.menuButton.parentElement as HTMLElement;
  const status = el('p', 'menu-status');
  ui.me.after(status);

  const isOpen = () => ui.headerMenu.dataset.open !== undefined;
  const close = (refocus: boolean) => {
    if (!isOpen()) return;
    delete ui.headerMenu.dataset.open;
    ui.menuButton.setAttribute('aria-expanded', 'false');
    if (refocus) ui.menuButton.focus();
  };
  const open = () => {
    status.textContent = [ui.statusText.textContent, ui.statusDetail.textContent]
      .map((part) => part?.trim())
      .filter(Boolean)
      .join(' · ');
    ui.headerMenu.dataset.open = '';
    ui.menuButton.setAttribute('aria-expanded', 'true');
  };

  ui.menuButton.addEventListener('click', () => (isOpen() ? close(false) : open()));
  ui.headerMenu.addEventListener('click', (event) => {
    if ((event.target as Element).closest('button')) close(false);
  });
  header.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen()) {
      event.preventDefault();
      close(true);
    }
  });
  header.addEventListener('focusout', (event) => {
    const to = event.relatedTarget;
    if (to instanceof Node && !header.contains(to)) close(false);
  });
  document.addEventListener('click', (event) => {
    if (!header.contains(event.target as Node)) close(false);
  });
};
