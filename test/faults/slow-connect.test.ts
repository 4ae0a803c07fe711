import { describe, expect, it, vi } from 'vitest';
import { sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';
import { seedRoom } from '../support/table.js';

// The `sent` log line says whom the broadcast passed by.
useFileEnv({ AWS_LAMBDA_LOG_LEVEL: 'info' });
const { table, aws, invoke, logs } = useHandler();

const postsTo = (connectionId: string, type: string) =>
  aws.posts
    .filter((p) => p.connectionId === connectionId && JSON.parse(p.body).type === type)
    .map((p) => p.status);

const historySeqs = (connectionId: string) =>
  aws
    .delivered(connectionId)
    .filter((frame) => frame.type === 'history')
    .flatMap((frame) => (frame.messages as { seq: number }[]).map((m) => m.seq));

const members = async (room: string) => {
  const ids: string[] = [];
  for await (const page of table.store.listMembers(room))
    ids.push(...page.map((m) => m.connectionId));
  return ids.sort();
};

describe('a $connect slower than the old 5 s grace', () => {
  it.each([
    ['a fresh connection', 'fresh', undefined, [1, 2, 3]],
    ['a resume', 'resume', 1, [2, 3]],
  ] as const)(
    'passes %s by while its socket is not open, neither pruning it nor waiting, and its replay then delivers what that broadcast skipped',
    async (_case, room, since, seqs) => {
      await seedRoom(table.store, room, 2);
      await registerMembers(table.store, room, [`${room}-here`]);
      // `$connect` registered the newcomer 8 s ago and is still running: API Gateway answers
      // its posts 410 until it returns.
      const newcomer = `${room}-slow`;
      const connectedAt = Date.now() - 8_000;
      await table.store.saveConnection({ connectionId: newcomer, room, name: 'slow', connectedAt });
      aws.connecting.add(newcomer);
      const replaying = invoke({
        replay: {
          connectionId: newcomer,
          room,
          connectedAt,
          name: 'slow',
          ...(since ? { since } : {}),
        },
      });
      // The replay has read the log (seqs 1 and 2) and is waiting for the socket to open: its
      // first post, the session frame before that history, was answered 410.
      await vi.waitFor(() => expect(postsTo(newcomer, 'session')).toContain(410));

      await invoke(sendFrame(`${room}-here`, { message: 'while you were connecting' }));

      // One post, its 410, and on: no waiting for the newcomer, and no prune.
      expect(postsTo(newcomer, 'message')).toEqual([410]);
      expect(logs.filter((line) => line.event === 'sent' && line.room === room)).toEqual([
        expect.objectContaining({ room, seq: 3, delivered: 1, arriving: 1, pruned: 0 }),
      ]);
      expect(await table.store.getConnection(newcomer)).toBeDefined();
      expect(await members(room)).toEqual([`${room}-here`, newcomer]);

      // `$connect` returns: the socket opens, and the replay's retry gets through.
      aws.connecting.delete(newcomer);
      await replaying;
      expect(historySeqs(newcomer)).toEqual(seqs);
      const frames = aws.delivered(newcomer);
      expect(frames.at(-2)).toEqual({
        type: 'history',
        room,
        log: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        messages: [expect.objectContaining({ seq: 3, text: 'while you were connecting' })],
        hasMore: false,
      });
      expect(frames.at(-1)).toMatchObject({ type: 'presence', room, count: 2 });
    },
  );
});
