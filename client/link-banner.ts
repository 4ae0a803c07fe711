import { ui } from './dom.js';

// A drop of a few seconds (a server restart, a switch of networks) mends itself before the user
// could act on a warning: the banner waits this long, so only an outage that lasts is told.
export const BANNER_GRACE_MS = 5000;

/** What the page knows while it is not live, which decides what the banner says. */
export interface LinkKnown {
  /** The browser itself says it is offline. */
  offline: boolean;
  /** The page holds a sign-in token (without one, sign-in is off as far as the page knows). */
  token: boolean;
  /** The page was live in this room (a room that was full then may still be, but need not). */
  everLive: boolean;
  /** The server's host:port. */
  host: string;
  room: string;
}

/**
 * What to tell the user. A browser sees neither the status nor the reason of a refused handshake
 * (`409 room "x" is full`, `401 a token is required`), only that it failed, as when nothing
 * answers: so the page names only the refusals it has reason to suspect.
 */
export const bannerText = (k: LinkKnown) => {
  if (k.offline) return 'You are offline. Messages you write are sent once you are back online.';
  const signIn = k.token ? ', or did not accept the sign-in this page holds' : '';
  const full = k.everLive
    ? ''
    : ` The room “${k.room}” may be full (the server lets more in as others leave).`;
  const expired = k.token
    ? ' If your sign-in has expired, open the chat again from the page that signed you in.'
    : '';
  return `The chat server (${k.host}) cannot be reached${signIn}.${full}${expired} Still trying…`;
};

const say = (text: string) => {
  if (ui.linkBanner.textContent !== text) ui.linkBanner.textContent = text;
};

/**
 * The small banner about a lost connection: nothing for the first BANNER_GRACE_MS, then one polite
 * status (its text changes, and is read out, only when what the page knows changes), gone once
 * the page is live again.
 */
export const createLinkBanner = () => {
  let known: LinkKnown | null = null;
  let timer = 0;
  const show = () => {
    timer = 0;
    if (known) say(bannerText(known));
  };
  /** Not live: starts the grace, or says what is known now if the banner already shows. */
  const down = (now: LinkKnown) => {
    known = now;
    if (ui.linkBanner.textContent) show();
    else if (!timer) timer = setTimeout(show, BANNER_GRACE_MS);
  };
  return {
    down,
    /** What is known changed (the network is back): the words follow, if the page is down. */
    update(now: LinkKnown) {
      if (known) down(now);
    },
    /** Live again, left the room, or stopped for a reason another notice gives. */
    clear() {
      clearTimeout(timer);
      timer = 0;
      known = null;
      say('');
    },
  };
};

/** The connection banner of one page. */
export type LinkBanner = ReturnType<typeof createLinkBanner>;
