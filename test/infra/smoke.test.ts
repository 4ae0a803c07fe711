import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { scenario } from '../../scripts/smoke/scenario.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    quiet: true,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `chat-smoke-${randomUUID().slice(0, 8)}`,
    env: { AWS_LAMBDA_LOG_LEVEL: 'silent' },
  });
});
afterAll(() => stack?.stop());

describe('the smoke scenario', () => {
  it('passes every step against the local stack', async () => {
    const run = scenario(stack.wsUrl);
    const passed: string[] = [];
    try {
      for (const step of run.steps) {
        await step.run();
        passed.push(step.name);
      }
    } finally {
      await run.close();
    }
    expect(passed).toHaveLength(run.steps.length);
  });

  it('fails its first step when nothing answers at the URL', async () => {
    const run = scenario('ws://127.0.0.1:1');
    await expect(run.steps[0]?.run()).rejects.toThrow();
    await run.close();
  });
});
