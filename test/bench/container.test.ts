import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createBenchContainer } from '../../bench/e2e/container.js';
import { deleteTable } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const HANDLERS = pathToFileURL(
  fileURLToPath(new URL('../../bench/e2e/handlers.ts', import.meta.url)),
).href;

let stack: LocalStack | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.close();
  await stack?.stop();
  if (stack) await deleteTable(stack.dynamoEndpoint, stack.tableName);
  stack = undefined;
});

describe('createBenchContainer', () => {
  it("adds up what the chat's module, loaded by the emulator from its spec, reports", async () => {
    const container = createBenchContainer('chat');
    expect(container.handler).toMatch(/bench\/e2e\/handlers\.ts#chat$/);
    stack = await startLocalStack({
      port: 0,
      quiet: true,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `bench-container-${randomUUID().slice(0, 8)}`,
      handler: container.handler,
      env: { ...container.env, AWS_LAMBDA_LOG_LEVEL: 'warn' },
    });
    for (const name of ['ann', 'bob']) {
      const client = await connectClient(`${stack.wsUrl}/?room=meter&name=${name}`);
      clients.push(client);
      await client.next((frame) => frame.type === 'history');
    }
    await container.idle(50);
    expect(container.snapshot().durations.$connect).toHaveLength(2);
    container.reset();

    const [ann, bob] = clients as [TestClient, TestClient];
    ann.ws.send(JSON.stringify({ action: 'sendmessage', message: 'hi', id: 'm-1' }));
    // Bob is not its author: his frame carries no id, only the text.
    await bob.next((frame) => frame.type === 'message' && frame.text === 'hi');
    await container.idle(50);

    const snapshot = container.snapshot();
    expect(snapshot.durations.sendmessage).toHaveLength(1);
    expect(snapshot.durations.$connect).toBeUndefined();
    expect(snapshot.posts).toBe(2);
    expect(snapshot.commands.calls.Query).toBeGreaterThanOrEqual(1);
    expect(Object.values(snapshot.capacity).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    container.close();
  });

  it('receives the reports of a handler running in a worker thread', async () => {
    const container = createBenchContainer('seeds');
    const worker = new Worker(new URL('./fixtures/invoke-in-worker.ts', import.meta.url), {
      // A worker thread does not inherit the TypeScript loader; a container's would need it too.
      execArgv: ['--import', 'tsx'],
      workerData: {
        module: HANDLERS,
        exportName: 'seeds',
        event: { requestContext: { routeKey: '$default', connectionId: 'c-1' } },
      },
      env: {
        ...process.env,
        ...container.env,
        CALLBACK_URL: 'http://127.0.0.1:9',
        TABLE_NAME: 'x',
      },
    });
    await once(worker, 'exit');
    await container.idle(50);
    expect(container.snapshot().durations.$default).toHaveLength(1);
    container.close();
  });

  it('refuses to run a handler without the channel to report on', async () => {
    const container = createBenchContainer('chat');
    const { chat } = (await import(
      `${HANDLERS}?no-channel`
    )) as typeof import('../../bench/e2e/handlers.js');
    const saved = process.env.BENCH_METER_CHANNEL;
    delete process.env.BENCH_METER_CHANNEL;
    try {
      await expect(
        Promise.resolve(chat({ requestContext: { routeKey: '$default' } }, {} as never)),
      ).rejects.toThrow(/BENCH_METER_CHANNEL is not set/);
    } finally {
      if (saved !== undefined) process.env.BENCH_METER_CHANNEL = saved;
      container.close();
    }
  });
});
