import {
  MAX_MESSAGE_BYTES as MAX_BYTES,
  MAX_MESSAGE_CHARS as MAX_CHARS,
} from '../src/protocol/limits.js';
import { countChars, ui } from './dom.js';

// The server's limits on a message (the same constants), checked here first so that it need
// not refuse one.

const encoder = new TextEncoder();

/** A message's text as it would be sent (trimmed), and its size as the server counts it. */
export const measureText = (typed: string) => {
  const text = typed.trim();
  return { text, chars: countChars(text), bytes: encoder.encode(text).length };
};

/** Whether a measured text may be sent: not empty, within both limits. */
export const fits = ({ chars, bytes }: ReturnType<typeof measureText>) =>
  chars > 0 && chars <= MAX_CHARS && bytes <= MAX_BYTES;

const measure = () => measureText(ui.input.value);

/** The room's rules stop this user from sending for now (muted, read-only, slow mode). */
let blocked = false;

/** Shows the typed message's size against the limits, and lets it be sent when it fits. */
export const updateComposer = () => {
  const { chars, bytes } = measure();
  const over = chars > MAX_CHARS || bytes > MAX_BYTES;
  let label = `${chars.toLocaleString('en')} / ${MAX_CHARS.toLocaleString('en')}`;
  if (bytes > MAX_BYTES * 0.75)
    label += ` · ${(bytes / 1024).toFixed(1)} / ${MAX_BYTES / 1024} KiB`;
  ui.counter.textContent = over ? `${label} – too long` : label;
  ui.counter.classList.toggle('over', over);
  ui.counter.classList.toggle(
    'near',
    !over && (chars > MAX_CHARS * 0.9 || bytes > MAX_BYTES * 0.9),
  );
  ui.input.setAttribute('aria-invalid', String(over));
  ui.send.disabled = chars === 0 || over || blocked;
  ui.input.style.height = 'auto';
  ui.input.style.height = `${ui.input.scrollHeight + 2}px`;
};

/** Stops (or lets again) the composer send, whatever is typed; the rules say why beside it. */
export const blockSending = (stop: boolean) => {
  if (blocked === stop) return;
  blocked = stop;
  updateComposer();
};

/**
 * The composer: Enter (or the button) sends a message that fits, unless the room's rules stop
 * it for now; Shift+Enter starts a line.
 */
export const wireComposer = (send: (text: string) => void) => {
  const submit = () => {
    const measured = measure();
    if (fits(measured) && !blocked) send(measured.text);
  };
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  ui.input.addEventListener('keydown', (event) => {
    // 229: a key pressed while an input method composes (older browsers lack isComposing).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  ui.input.addEventListener('input', updateComposer);
};
