import { randomBytes } from 'node:crypto';
import { CHAT_PROTOCOL, tokenProtocol } from '../../src/protocol/subprotocol.js';
import { chatUrl, type Frame, RefusedError, SmokeClient } from './client.js';
import {
  expectEqual,
  expectTrue,
  idsOf,
  isAcknowledgement,
  isError,
  isHistory,
  isMessageAt,
  isPresence,
  isSession,
  seqsOf,
} from './frames.js';

/** One named check of the scenario; later steps build on earlier ones. */
export interface Step {
  name: string;
  run: () => Promise<void>;
}

/** A token for a chat with auth on; it goes as the `token.` subprotocol, as browsers send it. */
export interface SmokeAuth {
  token: string;
}

/**
 * The end-to-end scenario of docs/protocol.md#client-to-server in a fresh random room: chat both
 * ways, history on join, resume with `since`, bad frames answered with errors on a connection that
 * survives. Every client offers the `chat` subprotocol, as the browser client does, and the server
 * must answer it. With `auth`, a client without the token must be refused with 401.
 */
export const scenario = (endpoint: string, auth?: SmokeAuth) => {
  const room = `smoke-${randomBytes(4).toString('hex')}`;
  const protocols = [CHAT_PROTOCOL, ...(auth ? [tokenProtocol(auth.token)] : [])];
  const url = (name: string, extra: Record<string, string | number> = {}) =>
    chatUrl(endpoint, { room, name, ...extra });
  const clients: SmokeClient[] = [];
  const open = async (name: string, extra?: Record<string, string | number>) => {
    const client = await SmokeClient.open(name, url(name, extra), protocols);
    clients.push(client);
    await client.take('session frame', isSession);
    return client;
  };
  /** Resolves with the refusal of a connection to `target`, or rejects if it was accepted. */
  const refusal = (target: URL, offered: string[]) =>
    SmokeClient.open('mallory', target, offered)
      .then((client) => client.close().then(() => undefined))
      .catch((error: unknown) => error);
  let alice: SmokeClient;
  let bob: SmokeClient;
  let seen = 0;
  // What bob's resumed replay held. A message sent just before he reconnected may reach him live as
  // well (the sender's echo goes out before the room's members are read):
  // docs/protocol.md#ordering-and-delivery allows live, replay or both, and a client drops a seq it
  // already has, as this one does.
  let replayed = new Set<number>();

  /**
   * Sends from one client and checks that it gets its acknowledgement (its message with its id)
   * and every listed client the message, by the next seq and without the id: a message's id goes
   * back to its author only.
   */
  const sendAndCheck = async (from: SmokeClient, text: string, to: SmokeClient[]) => {
    const id = `${from.label}-${randomBytes(3).toString('hex')}`;
    from.send({ action: 'sendmessage', message: text, id });
    const expected = ++seen;
    const ack = await from.take(`acknowledgement of ${id}`, isAcknowledgement(id));
    expectEqual(ack.seq, expected, `${from.label}'s acknowledgement of ${id} with seq`);
    expectEqual(ack.text, text, `${from.label}'s acknowledgement of ${id} with text`);
    expectEqual(ack.room, room, `${from.label}'s acknowledgement of ${id} in room`);
    for (const client of to) {
      const frame = await client.take(`message ${expected}`, isMessageAt(expected));
      expectEqual(frame.text, text, `${client.label} got message ${expected} with text`);
      expectEqual(frame.room, room, `${client.label} got message ${expected} in room`);
      expectEqual(frame.id, undefined, `${client.label} got message ${expected} with the id`);
    }
  };

  const steps: Step[] = [
    {
      name: `alice and bob join fresh room ${room}${auth ? ' with the token as a subprotocol' : ''}, get the ${CHAT_PROTOCOL} subprotocol and an empty history`,
      run: async () => {
        [alice, bob] = await Promise.all([open('alice'), open('bob')]);
        for (const client of [alice, bob]) {
          expectEqual(client.protocol, CHAT_PROTOCOL, `${client.label}'s subprotocol`);
          const history = await client.take('replay on connect', isHistory);
          expectEqual(seqsOf(history), [], `${client.label}'s replay`);
        }
      },
    },
    {
      name: 'alice -> bob: both get the message, alice as her ack with seq 1',
      run: () => sendAndCheck(alice, 'hello bob', [bob]),
    },
    {
      name: 'bob -> alice: both get the message with seq 2',
      run: () => sendAndCheck(bob, 'hi alice 👋', [alice]),
    },
    {
      name: "carol joins and receives the history automatically, without the messages' ids",
      run: async () => {
        const carol = await open('carol');
        const history = await carol.take('replay on connect', isHistory);
        expectEqual(seqsOf(history), [1, 2], "carol's replay seqs");
        expectEqual(idsOf(history), [], "carol's replay ids");
        expectEqual(history.hasMore, false, "carol's replay hasMore");
        await carol.close();
      },
    },
    {
      name: 'bob drops, misses two messages, resumes with since=2 and gets exactly those',
      run: async () => {
        await bob.close();
        await sendAndCheck(alice, 'you missed this', []);
        await sendAndCheck(alice, 'and this', []);
        bob = await open('bob', { since: 2 });
        const history = await bob.take('replay after since=2', isHistory);
        expectEqual(seqsOf(history), [3, 4], "bob's resumed replay seqs");
        replayed = new Set(seqsOf(history));
      },
    },
    {
      name: 'history on request returns the newest messages in ascending order',
      run: async () => {
        bob.send({ action: 'history', limit: 2 });
        const page = await bob.take('history reply', isHistory);
        expectEqual(seqsOf(page), [3, 4], 'history limit=2 seqs');
        expectEqual(page.hasMore, true, 'history hasMore');
      },
    },
    {
      name: 'a too-long message, a non-JSON frame and an unknown action each get an error',
      run: async () => {
        alice.send({ action: 'sendmessage', message: 'x'.repeat(4_001), id: 'too-long' });
        await alice.take('invalid_message error', isError('invalid_message'));
        alice.send('this is not JSON');
        await alice.take('invalid_request error', isError('invalid_request'));
        alice.send({ action: 'dance' });
        await alice.take('unknown_action error', isError('unknown_action'));
      },
    },
    {
      name: 'the connection survives, and the errors went to alice only',
      run: async () => {
        await sendAndCheck(alice, 'still here', [bob]);
        const again = (frame: Frame) =>
          frame.type === 'message' && replayed.has(frame.seq as number);
        const stray = [
          ...alice.unclaimed(),
          ...bob.unclaimed().filter((frame) => !again(frame)),
        ].filter((frame) => !isPresence(frame));
        expectEqual(stray, [], 'frames nobody expected');
      },
    },
    {
      name: 'an invalid room is refused with HTTP 400 on the upgrade',
      run: async () => {
        const refused = await refusal(chatUrl(endpoint, { room: 'no spaces!' }), protocols);
        expectTrue(refused instanceof RefusedError, `expected a refusal, got ${String(refused)}`);
        expectEqual((refused as RefusedError).status, 400, 'refusal status');
      },
    },
    ...(auth
      ? [
          {
            name: 'a connection without the token is refused with HTTP 401 on the upgrade',
            run: async () => {
              const refused = await refusal(chatUrl(endpoint, { room }), [CHAT_PROTOCOL]);
              expectTrue(
                refused instanceof RefusedError,
                `expected a refusal, got ${String(refused)}`,
              );
              expectEqual((refused as RefusedError).status, 401, 'refusal status');
            },
          },
        ]
      : []),
  ];
  return { room, steps, close: () => Promise.all(clients.map((c) => c.close())) };
};
