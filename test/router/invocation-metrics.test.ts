import { describe, expect, it, onTestFinished } from 'vitest';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { type EmfLine, emfLinesOf } from '../support/metrics.js';

// A small frame budget, so that a refusal is three frames away; the metrics' lines are INFO lines.
useFileEnv({
  STAGE: 'metrics-test',
  RATE_LIMIT_PER_SECOND: '1',
  RATE_LIMIT_BURST: '3',
  AWS_LAMBDA_LOG_LEVEL: 'info',
});

/** The handler's clock when a test stops it (a budget's refill must not depend on the machine). */
let stopped: number | undefined;
const { aws, invoke, runInvocations, logs } = useHandler({ now: () => stopped ?? Date.now() });

/** The EMF lines written since `from` (an index into the handler's log). */
const emfSince = (from: number) => emfLinesOf(logs.slice(from).map((line) => JSON.stringify(line)));

const sum = (lines: EmfLine[], name: string) =>
  lines.flatMap(({ values }) => values[name] ?? []).reduce((a, b) => a + b, 0);

const join = async (id: string, room: string) => {
  expect(await invoke(connectEvent(id, { room, name: id }))).toMatchObject({ statusCode: 200 });
  await runInvocations();
};

describe("the handler's metrics", () => {
  it('writes each invocation under its route, with its stage, and what its fan-out posted', async () => {
    for (const id of ['m-ann', 'm-bob', 'm-cy']) await join(id, 'metrics-room');
    const from = logs.length;
    await invoke(sendFrame('m-ann', { message: 'hello', id: 'c1' }));
    const lines = emfSince(from);
    const [byRoute] = lines.filter(({ fields }) => fields.route !== undefined);
    expect(byRoute?.dimensions).toEqual([['service', 'stage', 'route']]);
    expect(byRoute?.fields).toMatchObject({
      service: 'chat',
      stage: 'metrics-test',
      route: 'sendmessage',
      Invocations: 1,
      Errors: 0,
    });
    expect(byRoute?.values.Duration).toBeGreaterThan(0);
    const byStage = lines.filter(({ fields }) => fields.route === undefined);
    expect(byStage.every(({ dimensions }) => dimensions[0]?.join() === 'service,stage')).toBe(true);
    expect(sum(byStage, 'MessagesSent')).toBe(1);
    // The acknowledgement to ann, the message to bob and cy.
    expect(sum(byStage, 'PostsDelivered')).toBe(3);
    expect(sum(byStage, 'FanoutMembers')).toBeGreaterThanOrEqual(2);
    expect(byStage.some(({ values }) => values.FanoutTime !== undefined)).toBe(true);
  });

  it('counts the replay of a joining connection: its pages and messages', async () => {
    await join('m-rae', 'replayed-room');
    await invoke(sendFrame('m-rae', { message: 'before you came' }));
    const from = logs.length;
    await join('m-dee', 'replayed-room');
    const lines = emfSince(from);
    expect(lines.map(({ fields }) => fields.route).filter(Boolean)).toEqual(['$connect', 'replay']);
    expect(sum(lines, 'ReplayPages')).toBeGreaterThanOrEqual(1);
    expect(sum(lines, 'ReplayMessages')).toBe(1);
  });

  it('counts refusals by code and by budget, answered or dropped', async () => {
    // Stopped: nothing refills, however long the joins and the frames take (a cold start too).
    stopped = Date.now();
    onTestFinished(() => {
      stopped = undefined;
    });
    await join('m-eve', 'refusals');
    const from = logs.length;
    await invoke(messageEvent('m-eve', JSON.stringify({ action: 'sendmessage', message: '' })));
    for (let n = 0; n < 6; n++) {
      await invoke(sendFrame('m-eve', { message: `flood ${n}`, id: `f${n}` }));
    }
    const lines = emfSince(from);
    expect(sum(lines, 'Refused.invalid_message')).toBe(1);
    // Three frames of budget: the invalid one and two messages; four refused.
    expect(sum(lines, 'RefusedBudget.frames')).toBe(4);
    expect(sum(lines, 'Refused.rate_limited')).toBe(4);
    expect(aws.delivered('m-eve').filter((frame) => frame.code === 'rate_limited')).toHaveLength(1);
  });

  it('counts an invocation that fails as an error of its route', async () => {
    const from = logs.length;
    await expect(invoke({ replay: { room: 42 } })).rejects.toThrow();
    const [line] = emfSince(from).filter(({ fields }) => fields.route !== undefined);
    expect(line?.fields).toMatchObject({ route: 'replay', Invocations: 1, Errors: 1 });
  });

  it('drops its lines, as Lambda would, when the function logs at WARN or above', async () => {
    const from = logs.length;
    process.env.AWS_LAMBDA_LOG_LEVEL = 'warn';
    try {
      await invoke(messageEvent('m-ann', JSON.stringify({ action: 'who' })));
    } finally {
      process.env.AWS_LAMBDA_LOG_LEVEL = 'info';
    }
    expect(emfSince(from)).toEqual([]);
    await invoke(messageEvent('m-ann', JSON.stringify({ action: 'who' })));
    expect(emfSince(from).map(({ fields }) => fields.route)).toContain('who');
  });

  it('counts a cold start once, for the container', async () => {
    // Two invocations of its own, whether or not others ran before it in this container.
    await join('m-cold', 'cold-room');
    await invoke(messageEvent('m-cold', JSON.stringify({ action: 'who' })));
    expect(sum(emfLinesOf(logs.map((line) => JSON.stringify(line))), 'ColdStarts')).toBe(1);
  });
});
