import { expect, it, vi } from 'vitest';
import { sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';

// A round to 30 members is 30 posts: 3 s of a room allowed 10 posts a second.
useFileEnv({ ROOM_POSTS_PER_SECOND: '10' });

const { table, aws, invoke } = useHandler();

it('paces a busy room’s rounds to its posts budget, storing every message rather than refusing it', async () => {
  const members = Array.from({ length: 30 }, (_, n) => `paced-${String(n).padStart(2, '0')}`);
  await registerMembers(table.store, 'paced', members);
  aws.reset();
  await invoke(sendFrame('paced-00', { message: 'first' }));
  // The next round waits its turn, its sender acknowledged at once...
  const next = invoke(sendFrame('paced-01', { message: 'second' }));
  await vi.waitFor(() => expect(aws.delivered('paced-01')).toHaveLength(2), { timeout: 10_000 });
  // ...and what comes meanwhile goes out with it.
  await invoke(sendFrame('paced-02', { message: 'third' }));
  await invoke(sendFrame('paced-03', { message: 'fourth' }));
  await next;
  expect(await table.store.lastSeq('paced')).toBe(4);
  expect(aws.delivered('paced-20').map((frame) => frame.type)).toEqual(['message', 'messages']);
  expect(aws.messagesTo('paced-20').map((message) => message.seq)).toEqual([1, 2, 3, 4]);
});
