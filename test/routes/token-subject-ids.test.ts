import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { offeringToken } from '../support/tokens.js';

const SECRET = 'subject-test-secret';
process.env.CONNECT_JWT_SECRET = SECRET;

const { table, aws, invoke } = useHandler();

const token = (claims: Record<string, unknown>) => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
};

const exp = Math.floor(Date.now() / 1000) + 3600;

describe('client ids with token auth', () => {
  it('scopes ids to the token subject, not the display name', async () => {
    for (const [id, sub] of [
      ['t-one', 'user-1'],
      ['t-two', 'user-2'],
    ] as const) {
      await invoke(
        connectEvent(id, { room: 'subjects' }, offeringToken(token({ sub, name: 'sam', exp }))),
      );
    }
    aws.reset();
    await invoke(sendFrame('t-one', { message: 'from user 1', id: '1' }));
    await invoke(sendFrame('t-two', { message: 'from user 2', id: '1' }));
    expect(aws.delivered('t-two').map((f) => f.text)).toEqual(['from user 1', 'from user 2']);
    expect((await table.store.readAfter('subjects', 0, 10)).messages).toHaveLength(2);
  });

  it('recognises a retry by the same subject on a new connection', async () => {
    const me = token({ sub: 'user-3', name: 'kim', exp });
    await invoke(connectEvent('t-first', { room: 'again' }, offeringToken(me)));
    await invoke(sendFrame('t-first', { message: 'once', id: 'k' }));
    await invoke(connectEvent('t-second', { room: 'again' }, offeringToken(me)));
    aws.reset();
    await invoke(sendFrame('t-second', { message: 'once', id: 'k' }));
    expect(aws.delivered('t-second')).toEqual([expect.objectContaining({ seq: 1, id: 'k' })]);
    expect(aws.delivered('t-first')).toEqual([]);
  });
});
