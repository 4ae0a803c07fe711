import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';

const moderatorKey = newKey();
process.env.MODERATOR_KEYS = moderatorKey.toString('base64url');

/** The handler's clock: a test moves it (a ban's end, slow mode, the state's one-second copy). */
let clock = Date.now();
const { table, aws, invoke, runInvocations } = useHandler({ now: () => clock });

type Frame = Record<string, unknown>;

const frame = (connectionId: string, body: Frame) =>
  messageEvent(connectionId, JSON.stringify(body));

/** Connects with a key and runs the replay; returns the connection's public id. */
const join = async (connectionId: string, room: string, name: string, key = newKey()) => {
  const answer = await invoke(connectEvent(connectionId, { room, name }, offeringKey(key)));
  expect(answer?.statusCode).toBe(200);
  await runInvocations();
  const session = aws.delivered(connectionId).find((f) => f.type === 'session');
  return { connectionId, key, userId: session?.userId as string, session };
};

const moderatorIn = (room: string, connectionId = `${room}-mod`) =>
  join(connectionId, room, 'mod', moderatorKey);

/** Frames delivered to a connection since the last `aws.reset()`, of one type. */
const delivered = (connectionId: string, type: string) =>
  aws.delivered(connectionId).filter((f) => f.type === type);

const errorsTo = (connectionId: string) => delivered(connectionId, 'error');

describe('moderation frames’ validation', () => {
  const id = 'ABCDEFGHIJKLMNOP';
  it.each([
    [{ action: 'kick' }, 'userId is required'],
    [
      { action: 'kick', userId: 'short' },
      'userId must be a user id: 16 letters, digits, "-" or "_"',
    ],
    [{ action: 'kick', userId: 42 }, 'userId must be a string'],
    [{ action: 'ban', userId: id, minutes: 0 }, 'minutes must be 1-525600'],
    [{ action: 'ban', userId: id, minutes: 525_601 }, 'minutes must be 1-525600'],
    [{ action: 'ban', userId: id, minutes: 1.5 }, 'minutes must be a whole number'],
    [{ action: 'mute', userId: id, minutes: '5' }, 'minutes must be a number'],
    [{ action: 'ban', userId: id, reason: '' }, 'reason must not be empty'],
    [{ action: 'mute', userId: id, reason: '  \n ' }, 'reason must not be empty'],
    [{ action: 'kick', userId: id, reason: 'x'.repeat(201) }, 'reason must be 1-200 characters'],
    [
      { action: 'ban', userId: id, reason: 'a\u0007b' },
      'reason must not contain control characters',
    ],
    [
      { action: 'ban', userId: id, reason: '👨‍👩‍👧‍👦'.repeat(40) },
      'reason must be at most 800 bytes of UTF-8',
    ],
    [{ action: 'unban' }, 'userId is required'],
    [
      { action: 'unmute', userId: 'not/base64url!!' },
      'userId must be a user id: 16 letters, digits, "-" or "_"',
    ],
    [{ action: 'roomsettings' }, 'roomsettings needs slowModeSeconds, readOnly or both'],
    [{ action: 'roomsettings', slowModeSeconds: -1 }, 'slowModeSeconds must be 0-3600'],
    [{ action: 'roomsettings', slowModeSeconds: 3_601 }, 'slowModeSeconds must be 0-3600'],
    [{ action: 'roomsettings', slowModeSeconds: 2.5 }, 'slowModeSeconds must be a whole number'],
    [{ action: 'roomsettings', readOnly: 'yes' }, 'readOnly must be true or false'],
  ])('refuses %j: %s, storing nothing', async (body, message) => {
    const mod = await moderatorIn('invalid');
    aws.reset();
    await invoke(frame(mod.connectionId, body));
    expect(errorsTo(mod.connectionId)).toEqual([
      { type: 'error', code: 'invalid_request', message, action: body.action },
    ]);
    expect(await table.store.lastSeq('invalid')).toBe(0);
  });

  it.each(['kick', 'ban', 'mute'])('refuses a moderator’s %s of themselves', async (action) => {
    const mod = await moderatorIn('self');
    aws.reset();
    await invoke(frame(mod.connectionId, { action, userId: mod.userId }));
    expect(errorsTo(mod.connectionId)).toEqual([
      { type: 'error', code: 'invalid_request', message: `you cannot ${action} yourself`, action },
    ]);
    expect(await table.store.lastSeq('self')).toBe(0);
  });

  it.each([
    { action: 'kick', userId: 'ABCDEFGHIJKLMNOP' },
    { action: 'ban', userId: 'ABCDEFGHIJKLMNOP' },
    { action: 'unban', userId: 'ABCDEFGHIJKLMNOP' },
    { action: 'mute', userId: 'ABCDEFGHIJKLMNOP' },
    { action: 'unmute', userId: 'ABCDEFGHIJKLMNOP' },
    { action: 'roomsettings', readOnly: true },
  ])('refuses $action from a connection that may not moderate: forbidden', async (body) => {
    const alice = await join('plain-alice', 'plain', 'alice');
    aws.reset();
    await invoke(frame(alice.connectionId, body));
    expect(errorsTo(alice.connectionId)).toEqual([
      {
        type: 'error',
        code: 'forbidden',
        message: 'you may not moderate room "plain"',
        action: body.action,
      },
    ]);
    expect(await table.store.lastSeq('plain')).toBe(0);
  });

  it('tells a moderator that lifting what is not in force does nothing', async () => {
    const mod = await moderatorIn('lift-nothing');
    aws.reset();
    await invoke(frame(mod.connectionId, { action: 'unban', userId: 'ABCDEFGHIJKLMNOP' }));
    expect(errorsTo(mod.connectionId)).toEqual([
      {
        type: 'error',
        code: 'invalid_request',
        message: 'user ABCDEFGHIJKLMNOP is not banned in room "lift-nothing"',
        action: 'unban',
      },
    ]);
  });
});

describe('kick and ban', () => {
  it('kicks: each of the target’s connections is told why and closed, and the room gets the event, the moderator first', async () => {
    const mod = await moderatorIn('kicks');
    const troll = await join('kicks-troll', 'kicks', 'troll');
    const trollTab = await join('kicks-troll-2', 'kicks', 'troll', troll.key);
    const bob = await join('kicks-bob', 'kicks', 'bob');
    aws.reset();
    await invoke(
      frame(mod.connectionId, { action: 'kick', userId: troll.userId, reason: 'cool off' }),
    );
    for (const tab of [troll, trollTab]) {
      expect(errorsTo(tab.connectionId)).toEqual([
        {
          type: 'error',
          code: 'kicked',
          message: 'you were removed from room "kicks" by mod: cool off',
        },
      ]);
    }
    expect(aws.deletes.map((d) => d.connectionId).sort()).toEqual(
      [troll.connectionId, trollTab.connectionId].sort(),
    );
    const event = {
      type: 'moderation',
      room: 'kicks',
      seq: 1,
      action: 'kick',
      by: { userId: mod.userId, name: 'mod' },
      userId: troll.userId,
      name: 'troll',
      reason: 'cool off',
      at: new Date(clock).toISOString(),
    };
    expect(delivered(mod.connectionId, 'moderation')).toEqual([event]);
    expect(delivered(bob.connectionId, 'moderation')).toEqual([event]);
    expect(aws.posts.find((p) => p.body.includes('"moderation"'))?.connectionId).toBe(
      mod.connectionId,
    );
    // The kick is no ban: they may come back at once.
    await join('kicks-troll-3', 'kicks', 'troll', troll.key);
  });

  it('answers not_found to a kick of someone with no connection in the room, storing nothing', async () => {
    const mod = await moderatorIn('kick-nobody');
    aws.reset();
    await invoke(frame(mod.connectionId, { action: 'kick', userId: 'ABCDEFGHIJKLMNOP' }));
    expect(errorsTo(mod.connectionId)).toEqual([
      {
        type: 'error',
        code: 'not_found',
        message: 'nobody with userId ABCDEFGHIJKLMNOP is in room "kick-nobody"',
        action: 'kick',
      },
    ]);
    expect(await table.store.lastSeq('kick-nobody')).toBe(0);
  });

  it('bans: closes the target, refuses its $connect with 403 and why, and closes a connection of theirs that is still open on its next frame', async () => {
    const mod = await moderatorIn('bans');
    const troll = await join('bans-troll', 'bans', 'troll');
    aws.reset();
    await invoke(
      frame(mod.connectionId, { action: 'ban', userId: troll.userId, minutes: 30, reason: 'spam' }),
    );
    const until = new Date(clock + 30 * 60_000).toISOString();
    const message = `you are banned from room "bans" until ${until}: spam`;
    expect(errorsTo(troll.connectionId)).toEqual([
      { type: 'error', code: 'banned', message, until },
    ]);
    expect(aws.deletes).toEqual([{ connectionId: troll.connectionId, status: 204 }]);
    expect(delivered(mod.connectionId, 'moderation')).toEqual([
      expect.objectContaining({ action: 'ban', userId: troll.userId, name: 'troll', until }),
    ]);
    const again = await invoke(
      connectEvent('bans-troll-back', { room: 'bans', name: 'troll' }, offeringKey(troll.key)),
    );
    expect(again).toMatchObject({ statusCode: 403, body: message });
    expect(await table.store.getConnection('bans-troll-back')).toBeUndefined();
    // A tab the ban did not find (registered elsewhere, say) is closed by its own next frame.
    await table.store.saveConnection({
      connectionId: 'bans-troll-tab',
      room: 'bans',
      name: 'troll',
      connectedAt: clock,
      author: 'key:whatever',
      userId: troll.userId,
      capabilities: ['read', 'send'],
    });
    aws.reset();
    await invoke(frame('bans-troll-tab', { action: 'history' }));
    expect(aws.delivered('bans-troll-tab')).toEqual([
      { type: 'error', code: 'banned', message, until },
    ]);
    expect(aws.deletes).toEqual([{ connectionId: 'bans-troll-tab', status: 204 }]);
  });

  it('closes a banned connection on a frame it may not even send, rather than answering forbidden', async () => {
    const mod = await moderatorIn('bans-any');
    const troll = await join('bans-any-troll', 'bans-any', 'troll');
    await invoke(frame(mod.connectionId, { action: 'ban', userId: troll.userId }));
    // A tab the ban did not find, which may read and send but not moderate.
    await table.store.saveConnection({
      connectionId: 'bans-any-tab',
      room: 'bans-any',
      name: 'troll',
      connectedAt: clock,
      author: 'key:whatever',
      userId: troll.userId,
      capabilities: ['read', 'send'],
    });
    aws.reset();
    await invoke(frame('bans-any-tab', { action: 'kick', userId: mod.userId }));
    expect(errorsTo('bans-any-tab')).toEqual([
      expect.objectContaining({ code: 'banned', message: expect.stringContaining('"bans-any"') }),
    ]);
    expect(aws.deletes).toEqual([{ connectionId: 'bans-any-tab', status: 204 }]);
  });

  it('ends a ban when its minutes are up, by the handler’s clock; unban ends one sooner', async () => {
    const mod = await moderatorIn('ban-ends');
    const troll = await join('ban-ends-troll', 'ban-ends', 'troll');
    const bob = await join('ban-ends-bob', 'ban-ends', 'bob');
    await invoke(frame(mod.connectionId, { action: 'ban', userId: troll.userId, minutes: 1 }));
    await invoke(frame(mod.connectionId, { action: 'ban', userId: bob.userId }));
    const back = (id: string, key: Buffer) =>
      invoke(connectEvent(id, { room: 'ban-ends', name: 'x' }, offeringKey(key)));
    clock += 59_999;
    expect((await back('ban-ends-troll-1', troll.key))?.statusCode).toBe(403);
    clock += 1;
    expect((await back('ban-ends-troll-2', troll.key))?.statusCode).toBe(200);
    expect(await back('ban-ends-bob-1', bob.key)).toMatchObject({
      statusCode: 403,
      body: 'you are banned from room "ban-ends" until a moderator lifts the ban',
    });
    await invoke(frame(mod.connectionId, { action: 'unban', userId: bob.userId }));
    expect((await back('ban-ends-bob-2', bob.key))?.statusCode).toBe(200);
  });
});

describe('mute, slow mode and read-only', () => {
  it('refuses a muted user’s send and edit with until and the time left, drops their typing, and still answers their reads', async () => {
    const mod = await moderatorIn('mutes');
    const alice = await join('mutes-alice', 'mutes', 'alice');
    const bob = await join('mutes-bob', 'mutes', 'bob');
    await invoke(sendFrame(alice.connectionId, { message: 'before' }));
    await invoke(
      frame(mod.connectionId, { action: 'mute', userId: alice.userId, minutes: 9, reason: 'spam' }),
    );
    const until = new Date(clock + 9 * 60_000).toISOString();
    aws.reset();
    await invoke(sendFrame(alice.connectionId, { message: 'during' }));
    await invoke(frame(alice.connectionId, { action: 'editmessage', seq: 1, message: 'edited' }));
    await invoke(frame(alice.connectionId, { action: 'typing' }));
    const message = 'you are muted in room "mutes" for 9 more minutes: spam';
    expect(errorsTo(alice.connectionId)).toEqual([
      { type: 'error', code: 'forbidden', message, action: 'sendmessage', until },
      { type: 'error', code: 'forbidden', message, action: 'editmessage', until },
    ]);
    expect(aws.delivered(bob.connectionId)).toEqual([]);
    await invoke(frame(alice.connectionId, { action: 'history' }));
    await invoke(frame(alice.connectionId, { action: 'who' }));
    expect(aws.delivered(alice.connectionId).map((f) => f.type)).toEqual([
      'error',
      'error',
      'history',
      'presence',
    ]);
    // Taking one's own message back is no send.
    await invoke(frame(alice.connectionId, { action: 'deletemessage', seq: 1 }));
    expect(delivered(bob.connectionId, 'delete')).toHaveLength(1);
    // Still receives what the room says.
    await invoke(sendFrame(bob.connectionId, { message: 'hi alice' }));
    expect(delivered(alice.connectionId, 'message')).toEqual([
      expect.objectContaining({ text: 'hi alice' }),
    ]);
    clock += 8 * 60_000 + 1;
    aws.reset();
    await invoke(sendFrame(alice.connectionId, { message: 'soon' }));
    expect(errorsTo(alice.connectionId)[0]?.message).toBe(
      'you are muted in room "mutes" for 1 more minute: spam',
    );
    await invoke(frame(mod.connectionId, { action: 'unmute', userId: alice.userId }));
    aws.reset();
    await invoke(sendFrame(alice.connectionId, { message: 'after' }));
    expect(delivered(bob.connectionId, 'message')).toEqual([
      expect.objectContaining({ text: 'after' }),
    ]);
  });

  it('tells a muted connection so in its session frame, and the room’s settings', async () => {
    const mod = await moderatorIn('session');
    const alice = await join('session-alice', 'session', 'alice');
    expect(alice.session).toMatchObject({ settings: { slowModeSeconds: 0, readOnly: false } });
    expect(alice.session).not.toHaveProperty('muted');
    await invoke(frame(mod.connectionId, { action: 'mute', userId: alice.userId, reason: 'shh' }));
    await invoke(
      frame(mod.connectionId, { action: 'roomsettings', slowModeSeconds: 30, readOnly: true }),
    );
    aws.reset();
    const again = await join('session-alice-2', 'session', 'alice', alice.key);
    expect(again.session).toMatchObject({
      settings: { slowModeSeconds: 30, readOnly: true },
      muted: { reason: 'shh' },
    });
    expect(again.session?.muted).not.toHaveProperty('until');
  });

  it('lets each non-moderator send one message per slow-mode interval: rate_limited with retryAfterMs until then; moderators exempt', async () => {
    const mod = await moderatorIn('slow');
    const alice = await join('slow-alice', 'slow', 'alice');
    const bob = await join('slow-bob', 'slow', 'bob');
    await invoke(frame(mod.connectionId, { action: 'roomsettings', slowModeSeconds: 30 }));
    aws.reset();
    await invoke(sendFrame(alice.connectionId, { message: 'one' }));
    await invoke(sendFrame(alice.connectionId, { message: 'two' }));
    await invoke(sendFrame(bob.connectionId, { message: 'bob one' }));
    await invoke(sendFrame(mod.connectionId, { message: 'mod one' }));
    await invoke(sendFrame(mod.connectionId, { message: 'mod two' }));
    expect(errorsTo(alice.connectionId)).toEqual([
      {
        type: 'error',
        code: 'rate_limited',
        message:
          'slow down: room "slow" is in slow mode, one message per 30 s each; try again in 29 s',
        action: 'sendmessage',
        retryAfterMs: 29_000,
      },
    ]);
    expect(delivered(bob.connectionId, 'message').map((m) => m.text)).toEqual([
      'one',
      'bob one',
      'mod one',
      'mod two',
    ]);
    clock += 29_000;
    await invoke(sendFrame(alice.connectionId, { message: 'three' }));
    expect(delivered(bob.connectionId, 'message').at(-1)?.text).toBe('three');
    await invoke(frame(mod.connectionId, { action: 'roomsettings', slowModeSeconds: 0 }));
    await invoke(sendFrame(alice.connectionId, { message: 'four' }));
    expect(delivered(bob.connectionId, 'message').at(-1)?.text).toBe('four');
  });

  it('refuses a non-moderator’s send and edit in a read-only room; the moderator still sends', async () => {
    const mod = await moderatorIn('quiet');
    const alice = await join('quiet-alice', 'quiet', 'alice');
    await invoke(sendFrame(alice.connectionId, { message: 'mine' }));
    await invoke(frame(mod.connectionId, { action: 'roomsettings', readOnly: true }));
    aws.reset();
    await invoke(sendFrame(alice.connectionId, { message: 'more' }));
    await invoke(frame(alice.connectionId, { action: 'editmessage', seq: 1, message: 'edit' }));
    const message = 'room "quiet" is read-only: only moderators may send';
    expect(errorsTo(alice.connectionId)).toEqual([
      { type: 'error', code: 'forbidden', message, action: 'sendmessage' },
      { type: 'error', code: 'forbidden', message, action: 'editmessage' },
    ]);
    await invoke(sendFrame(mod.connectionId, { message: 'announcement' }));
    expect(delivered(alice.connectionId, 'message').map((m) => m.text)).toEqual(['announcement']);
    await invoke(frame(mod.connectionId, { action: 'roomsettings', readOnly: false }));
    await invoke(sendFrame(alice.connectionId, { message: 'open again' }));
    expect(delivered(mod.connectionId, 'message').at(-1)?.text).toBe('open again');
  });
});

describe('the state other containers changed', () => {
  it('takes effect once this container’s one-second copy is older than a second', async () => {
    const alice = await join('copy-alice', 'copy', 'alice');
    await invoke(sendFrame(alice.connectionId, { message: 'reads the state' }));
    await table.store.appendModeration({
      room: 'copy',
      by: { userId: 'MODERATOR-000001', name: 'elsewhere' },
      action: 'mute',
      userId: alice.userId,
    });
    aws.reset();
    await invoke(sendFrame(alice.connectionId, { message: 'still unknown here' }));
    expect(errorsTo(alice.connectionId)).toEqual([]);
    clock += 1_000;
    await invoke(sendFrame(alice.connectionId, { message: 'known now' }));
    expect(errorsTo(alice.connectionId)).toEqual([
      expect.objectContaining({ code: 'forbidden', action: 'sendmessage' }),
    ]);
  });
});

describe('moderation events in the replay', () => {
  it('replays a resume through pages of moderation events alone, each once, to the log’s end', async () => {
    const room = 'audit';
    for (let n = 1; n <= 150; n++) {
      await table.store.appendModeration({
        room,
        by: { userId: 'MODERATOR-000001', name: 'mod' },
        action: 'kick',
        userId: 'ABCDEFGHIJKLMNOP',
      });
    }
    await table.store.appendMessage({ room, author: 'key:x', sender: 'bob', text: 'last' });
    aws.reset();
    await invoke(connectEvent('audit-reader', { room, since: '0' }, offeringKey(newKey())));
    await runInvocations();
    const pages = delivered('audit-reader', 'history');
    const seqs = pages.flatMap((page) => [
      ...((page.moderation ?? []) as { seq: number }[]).map((m) => m.seq),
      ...(page.messages as { seq: number }[]).map((m) => m.seq),
    ]);
    expect(seqs).toEqual(Array.from({ length: 151 }, (_, n) => n + 1));
    expect(pages.at(-1)?.hasMore).toBe(false);
  });
});
