import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';
import { epochSeconds, offeringToken, signJwt } from '../support/tokens.js';

const SECRET = 'room-capabilities-secret';
// Every connection here comes from one network and some rooms share typists: no budget of the
// network's or the room's may refuse a frame, so that only the capabilities decide.
useFileEnv({
  CONNECT_JWT_SECRET: SECRET,
  SOURCE_RATE_PER_SECOND: '0',
  SOURCE_CONNECTS_PER_MINUTE: '0',
  SOURCE_HISTORY_PER_MINUTE: '0',
  ROOM_TYPING_PER_SECOND: '0',
  ROOM_NETWORK_SHARE: '0',
});

const { table, aws, invoke, runInvocations } = useHandler();

type Frame = Record<string, unknown>;

/** A token of `sub` (named after it), with this `rooms` claim when one is given. */
const token = (sub: string, rooms?: unknown) =>
  signJwt(
    { sub, name: sub, exp: epochSeconds(600), ...(rooms === undefined ? {} : { rooms }) },
    SECRET,
  );

/** What one frame of the actor's comes to. */
type Outcome =
  /** Done: its answer, or its broadcast. */
  | 'ok'
  /** `forbidden`: the connection may not do that in its room. */
  | 'forbidden'
  /** `forbidden`: only the message's author (or a moderator) may delete it. */
  | 'not author'
  /** Nothing at all: a `typing` without `send`. */
  | 'dropped';

interface Row {
  rooms: unknown;
  room: string;
  /** `refused`: `$connect` answers 403; otherwise the capabilities its session frame lists. */
  connect: 'refused' | string[];
  send?: Outcome;
  edit?: Outcome;
  deleteOwn?: Outcome;
  deleteOther?: Outcome;
  typing?: Outcome;
  history?: Outcome;
  who?: Outcome;
}

/** Reads and sends; may delete its own messages only. */
const READ_SEND = {
  send: 'ok',
  edit: 'ok',
  deleteOwn: 'ok',
  deleteOther: 'not author',
  typing: 'ok',
  history: 'ok',
  who: 'ok',
} as const;

/** Reads only. */
const READ_ONLY = {
  send: 'forbidden',
  edit: 'forbidden',
  deleteOwn: 'forbidden',
  deleteOther: 'forbidden',
  typing: 'dropped',
  history: 'ok',
  who: 'ok',
} as const;

/**
 * Four entries that match `team-mods`, each giving something else: whichever decides shows. The
 * shorter ones come first, so that taking the first match, or adding matches together, shows too.
 */
const MOST_SPECIFIC = {
  '*': ['read'],
  'team-*': ['read', 'send'],
  'team-m*': ['moderate', 'read'],
  'team-mods': ['send', 'moderate', 'read'],
};

/** Reads, and deletes anyone's message; sends nothing. */
const READ_MODERATE = { ...READ_ONLY, deleteOwn: 'ok', deleteOther: 'ok' } as const;

const ROWS: [string, Row][] = [
  [
    'no rooms claim: read and send anywhere',
    { rooms: undefined, room: 'anywhere', connect: ['read', 'send'], ...READ_SEND },
  ],
  [
    'an exact entry giving read, in that room',
    { rooms: { lobby: ['read'] }, room: 'lobby', connect: ['read'], ...READ_ONLY },
  ],
  [
    'an exact entry, in a room it does not name',
    { rooms: { lobby: ['read'] }, room: 'lobby-2', connect: 'refused' },
  ],
  [
    'a prefix pattern, in a room it matches',
    {
      rooms: { 'team-*': ['read', 'send'] },
      room: 'team-a',
      connect: ['read', 'send'],
      ...READ_SEND,
    },
  ],
  [
    'a prefix pattern, in a room that is its prefix without the dash',
    { rooms: { 'team-*': ['read', 'send'] }, room: 'team', connect: 'refused' },
  ],
  [
    '"*" alone giving read',
    { rooms: { '*': ['read'] }, room: 'anything', connect: ['read'], ...READ_ONLY },
  ],
  [
    'most specific wins: the exact entry over every pattern',
    {
      rooms: MOST_SPECIFIC,
      room: 'team-mods',
      connect: ['read', 'send', 'moderate'],
      ...READ_SEND,
      deleteOther: 'ok',
    },
  ],
  [
    'most specific wins: the longest matching pattern, alone (entries never added together)',
    { rooms: MOST_SPECIFIC, room: 'team-main', connect: ['read', 'moderate'], ...READ_MODERATE },
  ],
  [
    'most specific wins: a pattern over "*"',
    { rooms: MOST_SPECIFIC, room: 'team-x', connect: ['read', 'send'], ...READ_SEND },
  ],
  [
    'most specific wins: "*" when nothing else matches',
    { rooms: MOST_SPECIFIC, room: 'general', connect: ['read'], ...READ_ONLY },
  ],
  [
    'an empty list: no capability at all, even under a "*" that gives some',
    { rooms: { lobby: [], '*': ['read'] }, room: 'lobby', connect: 'refused' },
  ],
  [
    'moderate without read',
    { rooms: { 'mods-only': ['moderate'] }, room: 'mods-only', connect: 'refused' },
  ],
  [
    'read and moderate without send: deletes anyone’s message, sends nothing',
    {
      rooms: { watch: ['read', 'moderate'] },
      room: 'watch',
      connect: ['read', 'moderate'],
      ...READ_MODERATE,
    },
  ],
];

/** One reader in each room with no claim, to see what the room is sent. */
const watchers = new Set<string>();
const watcherOf = async (room: string) => {
  const id = `watcher-${room}`;
  if (!watchers.has(room)) {
    await invoke(connectEvent(id, { room }, offeringToken(token(`watcher-${room}`))));
    watchers.add(room);
  }
  return id;
};

/** The frames its actor and its room's watcher get for one frame of the actor's. */
const act = async (actor: string, watcher: string, frame: Frame) => {
  aws.reset();
  await invoke(messageEvent(actor, JSON.stringify(frame)));
  return { actor: aws.delivered(actor), watcher: aws.delivered(watcher) };
};

const forbidden = (action: string, message: string) => [
  { type: 'error', code: 'forbidden', action, message },
];

/** Rows run so far: each row's actor is a connection of its own. */
let rowsRun = 0;

describe('room capabilities from the JWT rooms claim', () => {
  it.each(ROWS)('%s', async (_, row) => {
    const { room } = row;
    rowsRun += 1;
    const actor = `actor-${rowsRun}`;
    const watcher = await watcherOf(room);
    const answer = await invoke(
      connectEvent(actor, { room }, offeringToken(token('actor', row.rooms))),
    );
    if (row.connect === 'refused') {
      expect(answer).toEqual({ statusCode: 403, body: `you may not read room "${room}"` });
      expect(await table.store.getConnection(actor)).toBeUndefined();
      return;
    }
    expect(answer).toMatchObject({ statusCode: 200 });
    await runInvocations();
    expect(aws.delivered(actor).find((f) => f.type === 'session')).toMatchObject({
      type: 'session',
      room,
      name: 'actor',
      capabilities: row.connect,
    });
    // The actor's own message, and someone else's.
    const seed = (author: string) =>
      table.store.appendMessage({ room, author, sender: author, text: `by ${author}` });
    const own = (await seed('sub:actor')).message.seq;
    const other = (await seed('sub:someone-else')).message.seq;
    const mayNotSend = `you may not send in room "${room}"`;

    const sent = await act(actor, watcher, { action: 'sendmessage', message: 'hello' });
    expect(sent.actor).toEqual(
      row.send === 'ok'
        ? [expect.objectContaining({ type: 'message', text: 'hello' })]
        : forbidden('sendmessage', mayNotSend),
    );

    const edited = await act(actor, watcher, { action: 'editmessage', seq: own, message: 'new' });
    expect(edited.actor).toEqual(
      row.edit === 'ok'
        ? [expect.objectContaining({ type: 'edit', target: own, text: 'new' })]
        : forbidden('editmessage', mayNotSend),
    );

    const typed = await act(actor, watcher, { action: 'typing' });
    expect(typed.actor).toEqual([]);
    expect(typed.watcher).toEqual(
      row.typing === 'ok' ? [expect.objectContaining({ type: 'typing', name: 'actor' })] : [],
    );

    const read = await act(actor, watcher, { action: 'history', limit: 1 });
    expect(read.actor).toEqual(
      row.history === 'ok'
        ? [expect.objectContaining({ type: 'history', room })]
        : forbidden('history', `you may not read room "${room}"`),
    );

    const asked = await act(actor, watcher, { action: 'who' });
    expect(asked.actor).toEqual(
      row.who === 'ok'
        ? [expect.objectContaining({ type: 'presence', room })]
        : forbidden('who', `you may not read room "${room}"`),
    );

    const theirs = await act(actor, watcher, { action: 'deletemessage', seq: other });
    expect(theirs.actor).toEqual(
      row.deleteOther === 'ok'
        ? [expect.objectContaining({ type: 'delete', target: other })]
        : row.deleteOther === 'not author'
          ? forbidden('deletemessage', `only its author can delete message ${other}`)
          : forbidden('deletemessage', mayNotSend),
    );

    const mine = await act(actor, watcher, { action: 'deletemessage', seq: own });
    expect(mine.actor).toEqual(
      row.deleteOwn === 'ok'
        ? [expect.objectContaining({ type: 'delete', target: own })]
        : forbidden('deletemessage', mayNotSend),
    );

    // What was refused stored nothing: only the seeds, and what was allowed, are in the log.
    const log = await table.store.readAfter(room, own - 1, 100);
    expect(log.messages.some((message) => message.text === 'hello')).toBe(row.send === 'ok');
  });

  it.each([
    ['a string', 'lobby', 'it must be an object mapping rooms to lists of capabilities'],
    ['a list', ['lobby'], 'it must be an object mapping rooms to lists of capabilities'],
    ['a room given a string', { lobby: 'read' }, 'each entry must be a list of capabilities'],
    [
      'an unknown capability',
      { lobby: ['read', 'write'] },
      'capabilities must be among read, send, moderate',
    ],
    [
      'a pattern over 65 characters',
      { [`${'a'.repeat(65)}*`]: ['read'] },
      'each key must be a room name, a prefix pattern ending in "*" (at most 65 characters), or "*"',
    ],
    [
      'a "*" inside a pattern',
      { 'team*x': ['read'] },
      'each key must be a room name, a prefix pattern ending in "*" (at most 65 characters), or "*"',
    ],
    [
      'more than 100 entries',
      Object.fromEntries(Array.from({ length: 101 }, (_, n) => [`room-${n}`, ['read']])),
      'it may hold at most 100 entries',
    ],
  ])(
    'refuses a token whose rooms claim is %s with 401 and why, storing nothing',
    async (_, rooms, why) => {
      const id = `invalid-${Math.random().toString(36).slice(2)}`;
      const answer = await invoke(
        connectEvent(id, { room: 'lobby' }, offeringToken(token('bad', rooms))),
      );
      expect(answer).toEqual({
        statusCode: 401,
        body: `the token's "rooms" claim is not valid: ${why}`,
      });
      expect(await table.store.getConnection(id)).toBeUndefined();
    },
  );

  it('accepts a claim of exactly 100 entries and a pattern of 65 characters', async () => {
    const rooms = Object.fromEntries(Array.from({ length: 99 }, (_, n) => [`room-${n}`, ['read']]));
    rooms[`${'a'.repeat(64)}*`] = ['read', 'send'];
    const room = 'a'.repeat(64);
    const answer = await invoke(
      connectEvent('hundred', { room }, offeringToken(token('many', rooms))),
    );
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(await table.store.getConnection('hundred')).toMatchObject({
      capabilities: ['read', 'send'],
    });
  });

  it('ignores a key offered beside a JWT: the token’s sub is the author', async () => {
    const connectWith = (id: string, sub: string) =>
      invoke(connectEvent(id, { room: 'keyed' }, offeringKey(newKey(), token(sub))));
    await connectWith('sub-key-1', 'same-sub');
    await connectWith('sub-key-2', 'same-sub');
    await connectWith('sub-key-3', 'another-sub');
    const [one, two, three] = await Promise.all(
      ['sub-key-1', 'sub-key-2', 'sub-key-3'].map((id) => table.store.getConnection(id)),
    );
    expect(one).toMatchObject({ author: 'sub:same-sub', userId: two?.userId });
    expect(one?.userId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(three?.userId).not.toBe(one?.userId);
  });

  it('refuses history and who with forbidden to a connection stored without read', async () => {
    // `$connect` admits no such connection: this is the routes' own check.
    await table.store.saveConnection({
      connectionId: 'no-read',
      room: 'unread',
      name: 'writer',
      connectedAt: Date.now(),
      author: 'sub:writer',
      userId: 'writer-id-000000',
      capabilities: ['send'],
    });
    aws.reset();
    await invoke(messageEvent('no-read', '{"action":"history"}'));
    await invoke(messageEvent('no-read', '{"action":"who"}'));
    const mayNotRead = 'you may not read room "unread"';
    expect(aws.delivered('no-read')).toEqual([
      ...forbidden('history', mayNotRead),
      ...forbidden('who', mayNotRead),
    ]);
  });
});
