import { ui } from './dom.js';

/** The connection as the header's status shows it. */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** The retry button shows while retrying or stopped, unless the browser itself is offline. */
export const syncRetryButton = () => {
  const state = ui.status.dataset.state;
  ui.retryNow.hidden = (state !== 'reconnecting' && state !== 'offline') || !navigator.onLine;
};

/**
 * Shows the connection's state and what it means (the retry button only while retrying or
 * offline, saying `retryLabel`).
 */
export const showStatus = (state: LinkState, text: string, retryLabel = 'Retry now') => {
  ui.status.dataset.state = state;
  if (ui.statusText.textContent !== text) ui.statusText.textContent = text;
  syncRetryButton();
  ui.retryNow.textContent = retryLabel;
  if (state !== 'reconnecting') ui.statusDetail.textContent = '';
};

/** Counts down to the next try in the status line. */
export const showCountdown = (retryAt: number) => {
  const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
  ui.statusDetail.textContent = `in ${seconds} s`;
};

/** A notice above the composer, until dismissed; `unreachable` ones go once the page is live. */
export const notice = (text: string, kind: 'error' | 'unreachable' = 'error') => {
  ui.noticeText.textContent = text;
  ui.notice.dataset.kind = kind;
  ui.notice.hidden = false;
};
