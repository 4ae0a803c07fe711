import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';
import { registerMembers } from '../support/members.js';
import { emfLinesOf } from '../support/metrics.js';

/*
 * The security section promises that logs hold the route, connection, room, request id and
 * outcome, never message text (docs/security.md, "Logs"). Every route that carries text a user
 * wrote runs here through the real handler, each text field holding a marker, and no line the
 * handler writes may hold it: its logger's lines, the metrics' EMF lines, and anything written to
 * standard output or error besides.
 */

const moderatorKey = newKey();
// Every level, so that a debug line that held text would show; small budgets and a small
// fan-out, so that refusals and fan-out workers are a few frames away.
useFileEnv({
  AWS_LAMBDA_LOG_LEVEL: 'debug',
  MODERATOR_KEYS: moderatorKey.toString('base64url'),
  RATE_LIMIT_PER_SECOND: '1',
  RATE_LIMIT_BURST: '6',
  FANOUT_MEMBERS_PER_WORKER: '20',
});

/** The handler's clock when a test stops it, so that a budget runs out however slow the machine. */
let stopped: number | undefined;
const { aws, table, invoke, runInvocations, logs } = useHandler({
  now: () => stopped ?? Date.now(),
});

/** A marker no log line could hold by chance: letters only, so it passes as a name too. */
const MARK = `Zq${Array.from(randomBytes(10), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
const marked = (what: string) => `${MARK} ${what}`;

/** What the process writes outside the harness's log (a logger made without its writer). */
let written: string[] = [];
/** Where the harness's log stood when the test began. */
let testStart = 0;
beforeEach(() => {
  written = [];
  testStart = logs.length;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk, ...rest) => {
      written.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args) => {
      written.push(args.map(String).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

/**
 * Runs `drive` and checks what it logged: the events named (so the routes did run and log), EMF
 * lines among them; then that no line written since the test began (its setup's too) holds the
 * marker.
 */
const expectNoTextLogged = async (drive: () => Promise<unknown>, events: string[]) => {
  const from = logs.length;
  await drive();
  const driven = logs.slice(from);
  for (const event of events) expect(driven.map((line) => line.event)).toContain(event);
  expect(emfLinesOf(driven.map((line) => JSON.stringify(line))).length).toBeGreaterThan(0);
  const lines = [...logs.slice(testStart).map((line) => JSON.stringify(line)), ...written];
  expect(lines.filter((line) => line.includes(MARK))).toEqual([]);
};

const frame = (connectionId: string, body: Record<string, unknown>) =>
  messageEvent(connectionId, JSON.stringify(body));

/** Connects with a marked name and runs its replay; returns its public user id. */
const join = async (connectionId: string, room: string, key = newKey(), since?: string) => {
  const name = `${MARK}${connectionId.replace(/[^a-z]/g, '')}`.slice(0, 32);
  const answer = await invoke(
    connectEvent(connectionId, { room, name, ...(since ? { since } : {}) }, offeringKey(key)),
  );
  expect(answer?.statusCode).toBe(200);
  await runInvocations();
  const session = aws.delivered(connectionId).find((f) => f.type === 'session');
  return session?.userId as string;
};

describe('log lines never hold message text', () => {
  it('of a connect with a name, and of the replay that delivers marked history', async () => {
    await join('first', 'replayed');
    await invoke(sendFrame('first', { message: marked('replayed later'), id: `${MARK}-id` }));
    await expectNoTextLogged(async () => {
      await invoke(connectEvent('second', { room: 'replayed', name: marked('n') }));
      await join('third', 'replayed', newKey(), '0');
      expect(JSON.stringify(aws.delivered('third'))).toContain(marked('replayed later'));
    }, ['connected', 'replayed']);
  });

  it('of sends, edits and deletes, and of a room that fans out to workers and loses members', async () => {
    await join('writer', 'crowded');
    const members = Array.from({ length: 45 }, (_, n) => `member-${n}`);
    await registerMembers(table.store, 'crowded', members);
    // A member gone (pruned), one whose posts fail, one throttled: each is logged.
    aws.gone.add('member-3');
    aws.scripts.set('member-25', [500, 500, 500, 500, 500, 500]);
    aws.scripts.set('member-40', [429, 429, 429, 429, 429, 429]);
    await expectNoTextLogged(async () => {
      await invoke(sendFrame('writer', { message: marked('sent'), id: `${MARK}-1` }));
      await invoke(sendFrame('writer', { message: marked('sent'), id: `${MARK}-1` }));
      await invoke(frame('writer', { action: 'sendmessage', data: marked('as data') }));
      await invoke(frame('writer', { action: 'editmessage', seq: 1, message: marked('edited') }));
      await invoke(frame('writer', { action: 'deletemessage', seq: 2 }));
      expect(aws.syncInvocations.length).toBeGreaterThan(0);
      expect(aws.messagesTo('member-44').map((m) => m.text)).toContain(marked('sent'));
    }, ['sent', 'duplicate_send', 'edited', 'deleted', 'fanout_worker_done', 'post_failed']);
  });

  it('of history, who and typing in a room of marked messages and names', async () => {
    await join('reader', 'browsed');
    await join('typist', 'browsed');
    await invoke(sendFrame('reader', { message: marked('kept') }));
    await expectNoTextLogged(async () => {
      await invoke(frame('reader', { action: 'history', limit: 10 }));
      await invoke(frame('reader', { action: 'who' }));
      await invoke(frame('typist', { action: 'typing', message: marked('typing') }));
      expect(JSON.stringify(aws.delivered('reader'))).toContain(marked('kept'));
    }, []);
  });

  it('of kicks, bans and mutes with a reason, and of what the muted then try', async () => {
    await join('mod', 'moderated', moderatorKey);
    const loud = await join('loud', 'moderated');
    const rude = await join('rude', 'moderated');
    const gone = await join('gone', 'moderated');
    await expectNoTextLogged(async () => {
      await invoke(frame('mod', { action: 'mute', userId: loud, reason: marked('mute') }));
      await invoke(frame('loud', { action: 'sendmessage', message: marked('muted') }));
      await invoke(frame('mod', { action: 'ban', userId: rude, reason: marked('ban') }));
      await invoke(frame('mod', { action: 'kick', userId: gone, reason: marked('kick') }));
      await invoke(frame('mod', { action: 'unmute', userId: loud, reason: marked('unmute') }));
      await invoke(frame('mod', { action: 'unban', userId: rude, reason: marked('unban') }));
      await invoke(frame('mod', { action: 'roomsettings', readOnly: true, reason: marked('rs') }));
      await invoke(frame('loud', { action: 'sendmessage', message: marked('read-only') }));
      expect(aws.delivered('loud').map((f) => f.code)).toContain('forbidden');
    }, ['moderated', 'rejected']);
  });

  it('of a banned user’s connect, refused with the ban’s reason', async () => {
    await join('warden', 'barred', moderatorKey);
    const key = newKey();
    const barred = await join('barred', 'barred', key);
    await expectNoTextLogged(async () => {
      await invoke(frame('warden', { action: 'ban', userId: barred, reason: marked('ban') }));
      const again = await invoke(
        connectEvent('barred-again', { room: 'barred', name: marked('b') }, offeringKey(key)),
      );
      expect(again?.statusCode).toBe(403);
    }, ['moderated', 'connect_refused']);
  });

  it('of refusals: a text over the limit, control characters, a bad frame, an unknown action, a stranger, a bad name', async () => {
    stopped = Date.now();
    onTestFinished(() => {
      stopped = undefined;
    });
    await join('refused', 'refusals');
    await join('other', 'refusals');
    await invoke(sendFrame('other', { message: marked('not yours') }));
    await expectNoTextLogged(async () => {
      await invoke(sendFrame('refused', { message: `${marked('long')} ${'x'.repeat(4_000)}` }));
      await invoke(sendFrame('refused', { message: marked('bell \u0007') }));
      await invoke(frame('refused', { action: 'editmessage', seq: 1, message: marked('theft') }));
      await invoke(frame('refused', { action: 'kick', userId: 'x', reason: marked('no') }));
      await invoke(messageEvent('refused', `{"action":"sendmessage","message":"${MARK}`));
      await invoke(frame('refused', { action: marked('unknown'), message: marked('default') }));
      await invoke(sendFrame('stranger', { message: marked('unknown connection') }));
      // The budget runs out: what a flood says is refused, and logged as refused.
      for (let n = 0; n < 8; n++) await invoke(sendFrame('refused', { message: marked(`${n}`) }));
      const refusal = await invoke(
        connectEvent('badly-named', { room: 'refusals', name: `${MARK}\u0007` }),
      );
      expect(refusal?.statusCode).toBe(400);
      expect(aws.delivered('refused').map((f) => f.code)).toContain('rate_limited');
    }, ['rejected', 'connect_refused']);
  });
});
