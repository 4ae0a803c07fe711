import { describe, expect, it } from 'vitest';
import { recordCommands } from '../support/command-recorder.js';
import { connectEvent, lambdaContext, messageEvent, sendFrame } from '../support/events.js';
import { faultyHandler } from '../support/faults.js';
import { useHandler } from '../support/handler-harness.js';
import { serveStaleReads } from '../support/stale-reads.js';

const { table, aws, invoke } = useHandler();

/** The handler on a client whose eventually consistent reads miss the last second's writes. */
const staleHandler = () => {
  const faulty = faultyHandler(table, aws);
  serveStaleReads(faulty.client, 1_000);
  const run = (event: unknown) => faulty.handler(event, lambdaContext());
  return { ...faulty, run };
};

const seqsOf = (frames: Record<string, unknown>[]) =>
  frames.flatMap((frame) =>
    frame.type === 'message'
      ? [frame.seq as number]
      : ((frame.messages as { seq: number }[] | undefined) ?? []).map((m) => m.seq),
  );

/** A member who connected a minute ago, through the handler without stale reads. */
const connectedAMinuteAgo = (id: string, room: string) =>
  invoke(connectEvent(id, { room, name: id.slice(2) }, { connectedAt: Date.now() - 60_000 }));

describe('reads that correctness depends on', () => {
  it('reaches a member who joined a moment before the message, although reads may lag', async () => {
    const { run } = staleHandler();
    await connectedAMinuteAgo('s-alice', 'stale-live');
    await run(connectEvent('s-bob', { room: 'stale-live', name: 'bob' }));
    aws.reset();
    await run(sendFrame('s-alice', { message: 'welcome' }));
    expect(seqsOf(aws.delivered('s-bob'))).toEqual([1]);
  });

  it('replays a message written a moment before, although reads may lag', async () => {
    const { run } = staleHandler();
    await connectedAMinuteAgo('s-carol', 'stale-replay');
    // A replay serves a registered connection only (it reads the network and name from there).
    await connectedAMinuteAgo('s-dave', 'stale-replay');
    await connectedAMinuteAgo('s-erin', 'stale-replay');
    await run(sendFrame('s-carol', { message: 'just now' }));
    aws.reset();
    await run({ replay: { connectionId: 's-dave', room: 'stale-replay' } });
    await run({ replay: { connectionId: 's-erin', room: 'stale-replay', since: 0 } });
    await run(messageEvent('s-carol', JSON.stringify({ action: 'history' })));
    expect(seqsOf(aws.delivered('s-dave'))).toEqual([1]);
    expect(seqsOf(aws.delivered('s-erin'))).toEqual([1]);
    expect(seqsOf(aws.delivered('s-carol'))).toEqual([1]);
  });

  it('asks for strongly consistent reads on every Query and GetItem of a connection’s whole life', async () => {
    const { client, run } = staleHandler();
    const recorder = recordCommands(client);
    await run(connectEvent('s-frank', { room: 'recorded', name: 'frank' }));
    await run({ replay: { connectionId: 's-frank', room: 'recorded' } });
    await run(sendFrame('s-frank', { message: 'one', id: 'one' }));
    await run(sendFrame('s-frank', { message: 'one', id: 'one' }));
    await run({ replay: { connectionId: 's-frank', room: 'recorded', since: 0 } });
    await run(messageEvent('s-frank', JSON.stringify({ action: 'history', before: 2 })));
    const reads = recorder.commands.filter(
      (c) => c.operation === 'Query' || c.operation === 'GetItem',
    );
    expect(new Set(reads.map((c) => c.operation))).toEqual(new Set(['Query', 'GetItem']));
    for (const read of reads) expect(read.input).toMatchObject({ ConsistentRead: true });
  });
});
