import type { Connection } from './connection.js';
import { countChars, el, ui } from './dom.js';
import type { InForce, Moderation } from './moderation.js';
import type { Person } from './moderation-event.js';
import { type People, showFingerprint } from './people.js';
import { mayModerate, type Session } from './session.js';
import { notice } from './status.js';
import { clockTime, secondsText } from './when.js';
import type { Request } from './wire.js';

// A reason is checked like a message's text on the server: 1-200 characters once trimmed.
const MAX_REASON_CHARS = 200;

/** What a moderator's controls need of the rest of the page. */
export interface ModPanelParts {
  session: Session;
  live: () => Connection | null;
  moderation: Moderation;
  people: People;
}

const until = (e: { until?: string | undefined }) =>
  e.until === undefined ? 'until lifted' : `until ${clockTime(Date.parse(e.until))}`;

/**
 * A moderator's controls: a person picked in the member list can be kicked, banned or muted
 * (for a while or until lifted, with a reason everyone sees); the room panel sets slow mode and
 * read-only and lifts the bans and mutes the page has seen. Each action is acknowledged by its
 * moderation event, shown in the timeline.
 */
export const createModPanel = ({ session, live, moderation, people }: ModPanelParts) => {
  let target: Person | null = null;

  const send = (request: Request) => {
    const conn = live();
    if (!conn?.open) {
      notice('Not connected: nothing was done. Try again once the page is live.');
      return false;
    }
    conn.send(request);
    return true;
  };
  const closeMember = () => {
    target = null;
    ui.memberPanel.hidden = true;
  };
  const pick = (person: Person) => {
    target = person;
    ui.memberName.textContent = person.name;
    const print = people.fingerprint(person.name, person.userId) || person.userId.slice(0, 4);
    showFingerprint(ui.memberName, print);
    ui.modReason.value = '';
    ui.modError.hidden = true;
    ui.memberPanel.hidden = false;
    ui.modReason.focus();
  };
  const act = (action: 'kick' | 'ban' | 'mute') => {
    if (!target) return;
    const reason = ui.modReason.value.trim();
    if (countChars(reason) > MAX_REASON_CHARS) {
      ui.modError.textContent = `A reason is at most ${MAX_REASON_CHARS} characters.`;
      ui.modError.hidden = false;
      return ui.modReason.focus();
    }
    const why = reason ? { reason } : {};
    const minutes = Number(ui.modMinutes.value);
    const lasting = minutes > 0 ? { minutes } : {};
    const request: Request =
      action === 'kick'
        ? { action, userId: target.userId, ...why }
        : { action, userId: target.userId, ...lasting, ...why };
    if (send(request)) closeMember();
  };
  const lift = (action: 'unban' | 'unmute', userId: string) => send({ action, userId });
  const showSettings = () => {
    const seconds = session.settings.slowModeSeconds;
    const value = String(seconds);
    // A setting made elsewhere (wscat) may be none of the choices offered: offer it too.
    if (![...ui.slowMode.options].some((o) => o.value === value)) {
      const option = el('option', '', secondsText(seconds));
      option.value = value;
      ui.slowMode.append(option);
    }
    ui.slowMode.value = value;
    ui.readOnly.checked = session.settings.readOnly;
  };
  const standingItem = ({ userId, name, ban, mute }: InForce) => {
    const li = el('li');
    const who = el('span', 'name', name);
    who.dir = 'auto';
    const states = [ban && `banned ${until(ban)}`, mute && `muted ${until(mute)}`];
    li.append(who, ` ${states.filter(Boolean).join(', ')} `);
    for (const [held, action, label] of [
      [ban, 'unban', 'Unban'],
      [mute, 'unmute', 'Unmute'],
    ] as const) {
      if (!held) continue;
      const b = el('button', 'small', label);
      b.type = 'button';
      b.setAttribute('aria-label', `${label} ${name}`);
      b.addEventListener('click', () => lift(action, userId));
      li.append(b);
    }
    return li;
  };
  const standing = () => {
    const items = moderation.inForce().map(standingItem);
    ui.inForce.replaceChildren(...items);
    ui.inForceNone.hidden = items.length > 0;
  };
  const render = () => {
    const moderator = mayModerate(session);
    ui.moderate.hidden = !moderator;
    if (!moderator) {
      ui.roomPanel.hidden = true;
      ui.moderate.setAttribute('aria-expanded', 'false');
      closeMember();
    }
    showSettings();
  };

  ui.memberForm.addEventListener('submit', (event) => event.preventDefault());
  ui.modKick.addEventListener('click', () => act('kick'));
  ui.modMute.addEventListener('click', () => act('mute'));
  ui.modBan.addEventListener('click', () => act('ban'));
  ui.modCancel.addEventListener('click', closeMember);
  ui.memberPanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeMember();
  });
  ui.moderate.addEventListener('click', () => {
    ui.roomPanel.hidden = !ui.roomPanel.hidden;
    ui.moderate.setAttribute('aria-expanded', String(!ui.roomPanel.hidden));
    showSettings();
    standing();
  });
  ui.settingsForm.addEventListener('submit', (event) => {
    event.preventDefault();
    // Only what changed, so the room's line says what the moderator did.
    const slowModeSeconds = Number(ui.slowMode.value);
    const readOnly = ui.readOnly.checked;
    const now = session.settings;
    if (slowModeSeconds === now.slowModeSeconds && readOnly === now.readOnly) return;
    send({
      action: 'roomsettings',
      ...(slowModeSeconds === now.slowModeSeconds ? {} : { slowModeSeconds }),
      ...(readOnly === now.readOnly ? {} : { readOnly }),
    });
  });

  return {
    /** A moderator picked someone in the member list. */
    pick,
    /** Whether this page moderates, or the room's settings, changed. */
    render,
    /** The bans and mutes in force may have changed. */
    standing,
    /** Leaving the room: nothing stays open. */
    clear() {
      closeMember();
      ui.roomPanel.hidden = true;
      ui.moderate.setAttribute('aria-expanded', 'false');
    },
  };
};

/** A moderator's controls on one page. */
export type ModPanel = ReturnType<typeof createModPanel>;
