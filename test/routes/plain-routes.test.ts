import { describe, expect, it } from 'vitest';
import type { RouteContext } from '../../src/context.js';
import { ACTIONS } from '../../src/protocol/routes.js';
import { defaultRoute } from '../../src/routes/default.js';
import { disconnect } from '../../src/routes/disconnect.js';
import { history } from '../../src/routes/history.js';
import { sendMessage } from '../../src/routes/sendmessage.js';
import {
  type Connection,
  IdReusedError,
  type RefusalRule,
  RoomBusyError,
  type Store,
  StoreThrottledError,
} from '../../src/store/index.js';
import { testDeps } from '../support/deps.js';
import { plainStore, postBox } from '../support/plain-store.js';

/** The routes as plain functions: their logic, with no DynamoDB and no API Gateway. */

const ann: Connection = {
  connectionId: 'c-ann',
  room: 'lobby',
  name: 'ann',
  connectedAt: 0,
  author: 'key:ann',
  userId: 'ann-user-id-0000',
  capabilities: ['read', 'send'],
};
const admitted = { admit: async () => ({ outcome: 'admitted' as const, connection: ann }) };

const unmoderated = { bans: new Map(), mutes: new Map(), slowModeSeconds: 0, readOnly: false };

const route = (verbs: Partial<Store>, limits?: RouteContext['deps']['limits']) => {
  const box = postBox();
  const ctx: RouteContext = {
    deps: testDeps({
      // A room no one moderates, unless the test says otherwise.
      store: plainStore({ roomModeration: async () => unmoderated, ...verbs }),
      api: box.api,
      ...(limits ? { limits } : {}),
    }),
    connectionId: ann.connectionId,
    sourceIp: '203.0.113.9',
    requestId: 'req-1',
    log: () => undefined,
    remainingMs: () => 30_000,
  };
  return { ctx, replies: () => box.framesTo(ann.connectionId), framesTo: box.framesTo };
};

describe('$default', () => {
  it.each([
    ['not JSON', undefined],
    ['an array', []],
    ['a string', 'hello'],
  ])('tells a client whose frame is %s what a frame must be', async (_, body) => {
    const { ctx, replies } = route(admitted);
    expect(await defaultRoute(body, ctx)).toEqual({ statusCode: 200 });
    expect(replies()).toEqual([
      {
        type: 'error',
        code: 'invalid_request',
        message: `frames must be JSON objects with an "action" (one of: ${ACTIONS.join(', ')})`,
      },
    ]);
  });

  it('names the unknown action, cut to 64 characters', async () => {
    const { ctx, replies } = route(admitted);
    await defaultRoute({ action: 'x'.repeat(100) }, ctx);
    expect(replies()[0]).toMatchObject({ code: 'unknown_action' });
    expect(replies()[0]?.message).toContain(`"${'x'.repeat(64)}"`);
    expect(replies()[0]?.message).not.toContain('x'.repeat(65));
  });

  it('answers nothing at all once the connection is over its budget', async () => {
    const rules: RefusalRule[] = [];
    const { ctx, replies } = route({
      admit: async () => ({ outcome: 'limited' as const, retryAfterMs: 900 }),
      // As the table answers the refusal that opens a window: told only if it may be answered.
      recordRefusal: async (_id, rule) => {
        rules.push(rule);
        return rule.loud ? 'told' : 'quiet';
      },
    });
    await defaultRoute({ action: 'dance' }, ctx);
    expect(replies()).toEqual([]);
    // Still counted towards a cut-off: silence is not a free pass to flood.
    expect(rules).toEqual([expect.objectContaining({ loud: false, counts: true })]);
  });
});

describe('history', () => {
  it('refuses a limit above the most a page may hold, reading nothing', async () => {
    const { ctx, replies } = route(admitted);
    await history({ action: 'history', limit: 101 }, ctx);
    expect(replies()).toEqual([
      { type: 'error', code: 'invalid_request', message: 'limit must be 1-100' },
    ]);
  });

  it('charges the history budget what it may read, then reads the caller’s room', async () => {
    const charges: unknown[] = [];
    const reads: unknown[] = [];
    const { ctx, replies } = route({
      admit: async (_id, charge) => {
        charges.push(charge);
        return { outcome: 'admitted', connection: ann };
      },
      readBefore: async (room, before, limit) => {
        reads.push({ room, before, limit });
        return { messages: [], skipped: [], hasMore: false };
      },
      logCreated: async () => undefined,
    });
    await history({ action: 'history', before: 40, limit: 7 }, ctx);
    expect(charges).toEqual([expect.objectContaining({ budget: 'history', cost: 7 })]);
    expect(reads).toEqual([{ room: 'lobby', before: 40, limit: 7 }]);
    expect(replies()).toEqual([
      { type: 'history', room: 'lobby', messages: [], hasMore: false, before: 40 },
    ]);
  });
});

describe('sendmessage', () => {
  it.each([
    [{ message: '   ' }, 'invalid_message', 'message must not be empty'],
    [{ message: 'a\u0007b' }, 'invalid_message', 'message must not contain control characters'],
    [
      { message: 'hi', id: 'has space' },
      'invalid_request',
      'id must be 1-64 printable ASCII characters',
    ],
    [{}, 'invalid_message', 'message is required'],
  ])('refuses %j with %s, storing nothing', async (body, code, message) => {
    const { ctx, replies } = route(admitted);
    await sendMessage({ action: 'sendmessage', ...body }, ctx);
    expect(replies()).toEqual([{ type: 'error', code, message }]);
  });

  it.each([
    [new RoomBusyError('lobby', 1_500), 'rate_limited', 'room "lobby" is busy'],
    [new IdReusedError('m-1'), 'invalid_request', 'give each new message its own id'],
    [new StoreThrottledError('throttled'), 'internal', 'could not be stored right now'],
  ])('explains a store that refused with %s', async (error, code, words) => {
    const { ctx, replies } = route(
      {
        ...admitted,
        appendMessage: async () => {
          throw error;
        },
      },
      {
        ...testDeps({ store: plainStore({}), api: postBox().api }).limits,
        room: { perSecond: 50, burst: 500 },
      },
    );
    await sendMessage({ action: 'sendmessage', message: 'hi' }, ctx);
    expect(replies()).toEqual([expect.objectContaining({ type: 'error', code })]);
    expect(replies()[0]?.message).toContain(words);
  });

  it('gives a retried id its original message back, to the sender only', async () => {
    const original = {
      room: 'lobby',
      seq: 3,
      id: 'm-1',
      sender: 'ann',
      text: 'hi',
      sentAt: 'then',
    };
    const { ctx, replies } = route({
      ...admitted,
      appendMessage: async () => ({ message: original, duplicate: true }),
    });
    await sendMessage({ action: 'sendmessage', message: 'hi', id: 'm-1' }, ctx);
    expect(replies()).toEqual([{ type: 'message', ...original }]);
  });
});

describe('$disconnect', () => {
  it('removes the connection, and a connection already gone is fine', async () => {
    const removed: string[] = [];
    const { ctx } = route({
      removeConnection: async (id) => {
        removed.push(id);
        return undefined;
      },
    });
    expect(await disconnect(undefined, ctx)).toEqual({ statusCode: 200 });
    expect(removed).toEqual([ann.connectionId]);
  });
});
