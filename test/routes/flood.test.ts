import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import type { WebSocketEvent } from '../../src/router/event.js';
import { recordCommands } from '../support/command-recorder.js';
import { connectEvent, lambdaContext, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { anotherContainer } from '../support/table.js';

// Nothing refills while a test runs: 20 frames at once per connection, 100 per network, then
// none. Each test's network has an address of its own.
process.env.RATE_LIMIT_PER_SECOND = '0.01';
process.env.RATE_LIMIT_BURST = '20';
process.env.SOURCE_RATE_PER_SECOND = '0.01';
process.env.SOURCE_RATE_BURST = '100';
process.env.SOURCE_CONNECTS_PER_MINUTE = '60';

const { table, aws, invoke } = useHandler();

/**
 * A Lambda container of the function over the test's table: it runs one invocation at a time,
 * with its own store (so its own memory of the budgets), its DynamoDB requests recorded.
 */
const container = async () => {
  const { createDeps } = await import('../../src/deps.js');
  const { createHandler } = await import('../../src/router/create-handler.js');
  const { client, store } = anotherContainer(table);
  const { commands } = recordCommands(client);
  const deps: Deps = { ...createDeps(), store, logTo: () => undefined };
  const handler = createHandler(() => deps);
  return {
    run: (event: WebSocketEvent) =>
      handler(event, lambdaContext()) as Promise<{ statusCode: number; body?: string }>,
    commands,
  };
};

const CONTAINERS = 4;
const containers: Awaited<ReturnType<typeof container>>[] = [];
beforeAll(async () => {
  for (let n = 0; n < CONTAINERS; n++) containers.push(await container());
});

const from = (sourceIp: string, event: WebSocketEvent) => {
  event.requestContext.identity = { sourceIp, userAgent: 'vitest' };
  return event;
};

/**
 * Frames sent at once, as API Gateway hands them to the function: every free container takes
 * the next, and runs it to the end before it takes another.
 */
const deliver = async (events: WebSocketEvent[]) => {
  const queue = [...events];
  await Promise.all(
    containers.map(async ({ run }) => {
      for (let event = queue.shift(); event; event = queue.shift()) await run(event);
    }),
  );
};

const flood = (connectionId: string, sourceIp: string, count: number) =>
  deliver(
    Array.from({ length: count }, (_, n) =>
      from(sourceIp, sendFrame(connectionId, { message: `spam ${n}`, id: `f-${n}` })),
    ),
  );

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'];
/** Where each container's requests stand, to count what follows. */
const mark = () => containers.map(({ commands }) => commands.length);
/** Write requests of all the containers since `marks` to the item with this partition key. */
const writesTo = (pk: string, marks: number[]) =>
  containers.flatMap(({ commands }, n) =>
    commands
      .slice(marks[n])
      .filter(
        ({ operation, input }) =>
          WRITES.includes(operation) && (input.Key as { pk?: string } | undefined)?.pk === pk,
      ),
  );

/** The wait in seconds a refusal names. */
const waitOf = (text: string | undefined) => Number(/in (\d+) s/.exec(text ?? '')?.[1]);

describe('a flood from one connection', () => {
  it('costs a few writes, one rate_limited, one explanation and one disconnect: 200 frames at once over 4 containers', async () => {
    await invoke(from('203.0.113.20', connectEvent('fl-spam', { room: 'fl', name: 'spam' })));
    await invoke(from('203.0.113.21', connectEvent('fl-calm', { room: 'fl', name: 'calm' })));
    aws.reset();
    const before = mark();
    await flood('fl-spam', '203.0.113.20', 200);
    const errors = aws.delivered('fl-spam').filter((f) => f.type === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ code: 'rate_limited' }),
      expect.objectContaining({ code: 'flooding', retryAfterMs: expect.any(Number) }),
    ]);
    expect(errors[1]?.message).toMatch(
      /^disconnected: .*; your network may connect again in \d+ s$/,
    );
    expect(aws.deletes).toEqual([{ connectionId: 'fl-spam', status: 204 }]);
    expect(await table.store.lastSeq('fl')).toBe(20);
    // Each admitted frame is charged to its connection and its network (20 writes each). The
    // 180 refused cost, per container, at most a refused charge (to both), a try at opening the
    // window and a batch counted after the cut; three batches to count up to it; the block.
    const connection = writesTo('CONN#fl-spam', before).length - 20;
    const network = writesTo('SRC#203.0.113.20', before).length - 20;
    expect(connection).toBeLessThanOrEqual(3 * CONTAINERS + 3);
    expect(network).toBeLessThanOrEqual(2 * CONTAINERS + 1);
    // Someone else in the room hears the 20 messages admitted (and perhaps that it left).
    expect(aws.messagesTo('fl-calm')).toHaveLength(20);
    expect(aws.delivered('fl-calm').filter((f) => f.type === 'error')).toEqual([]);
  });

  it('cuts off a flood of frames the chat cannot use, answering none of them', async () => {
    await invoke(from('203.0.113.30', connectEvent('fl-noise', { room: 'noise', name: 'n' })));
    aws.reset();
    await deliver(
      Array.from({ length: 200 }, (_, n) =>
        from('203.0.113.30', messageEvent('fl-noise', `garbage ${n}`)),
      ),
    );
    const frames = aws.delivered('fl-noise');
    expect(frames.filter((f) => f.code !== 'flooding')).toHaveLength(20);
    expect(frames.filter((f) => f.code === 'flooding')).toHaveLength(1);
    expect(aws.deletes).toEqual([{ connectionId: 'fl-noise', status: 204 }]);
  });

  it('answers a connection that stays within a few bursts once, without cutting it off', async () => {
    await invoke(from('203.0.113.40', connectEvent('fl-eager', { room: 'eager', name: 'e' })));
    aws.reset();
    await flood('fl-eager', '203.0.113.40', 60);
    expect(aws.delivered('fl-eager').filter((f) => f.type === 'error')).toEqual([
      expect.objectContaining({ code: 'rate_limited', retryAfterMs: expect.any(Number) }),
    ]);
    expect(aws.deletes).toEqual([]);
  });
});

describe('the network of a connection cut off', () => {
  it('gets 429 on $connect with the wait, which doubles with its next offence', async () => {
    const network = '198.51.100.60';
    await invoke(from(network, connectEvent('bl-1', { room: 'bl', name: 'one' })));
    await invoke(from(network, connectEvent('bl-2', { room: 'bl', name: 'two' })));
    await flood('bl-1', network, 100);
    expect(aws.deletes.map((d) => d.connectionId)).toEqual(['bl-1']);
    const first = await invoke(from(network, connectEvent('bl-3', { room: 'bl' })));
    expect(first?.statusCode).toBe(429);
    expect(first?.body).toMatch(/cut off for flooding; try again in \d+ s$/);
    expect(waitOf(first?.body)).toBeGreaterThan(20);
    expect(waitOf(first?.body)).toBeLessThanOrEqual(30);
    expect(await table.store.getConnection('bl-3')).toBeUndefined();
    // Another network is not blocked.
    expect(await invoke(from('198.51.100.61', connectEvent('bl-4', { room: 'bl' })))).toEqual({
      statusCode: 200,
    });
    // A second connection of the network, opened before the block, floods too.
    await flood('bl-2', network, 100);
    expect(aws.deletes.map((d) => d.connectionId)).toEqual(['bl-1', 'bl-2']);
    // A container that has not seen the first block finds the second in the table.
    const second = await (await container()).run(
      from(network, connectEvent('bl-5', { room: 'bl' })),
    );
    expect(second.statusCode).toBe(429);
    expect(waitOf(second.body)).toBeGreaterThan(50);
    expect(waitOf(second.body)).toBeLessThanOrEqual(60);
  });
});
