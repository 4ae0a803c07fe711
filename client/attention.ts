// A message arriving while the tab is hidden: a system notification, once the user asked for them
// with the "Notify me" button. The permission prompt comes only from that click: a prompt nobody
// asked for, on load or on Send, is one people refuse (and browsers learn to hide).
import type { Session } from './session.js';
import type { ChatMessage } from './wire.js';

const button = document.getElementById('notify');

/** The browser's notifications, where it has them (not in an insecure context, say). */
const notifications = () =>
  typeof globalThis.Notification === 'function' ? globalThis.Notification : null;

export const createAttention = (session: Session) => {
  const shown = new Set<Notification>();
  /** The button shows while the user has not answered the browser's question yet. */
  const offer = () => {
    if (button) button.hidden = notifications()?.permission !== 'default';
  };
  button?.addEventListener('click', async () => {
    await notifications()?.requestPermission();
    offer();
  });
  offer();

  return {
    /** Someone else's message arrived live. */
    arrived(m: ChatMessage) {
      const Notice = notifications();
      if (!document.hidden || Notice?.permission !== 'granted') return;
      let notice: Notification;
      try {
        // One per room: a newer message replaces the one before instead of piling up.
        notice = new Notice(`${m.sender} in #${session.room}`, {
          body: m.text.slice(0, 200),
          tag: `chat:${session.room}`,
        });
      } catch {
        // Chrome on Android shows notifications only from a service worker: the title's count
        // is all this page can do there.
        return;
      }
      shown.add(notice);
      notice.addEventListener('close', () => shown.delete(notice));
      notice.addEventListener('click', () => {
        globalThis.focus();
        notice.close();
      });
    },
    /** The tab is visible again: what the notifications said is on the screen now. */
    seen() {
      for (const notice of shown) notice.close();
      shown.clear();
    },
  };
};
