import { describe, expect, it } from 'vitest';
import { scenario } from '../../local/smoke/scenario.js';
import { useChatServer } from '../support/chat-server.js';
import { epochSeconds, signJwt } from '../support/tokens.js';

const JWT_SECRET = 'smoke-test-secret';

/** A quiet local stack for the enclosing describe block, with these extra environment values. */
const useLocalStack = (env: Record<string, string>) => {
  const server = useChatServer({ AWS_LAMBDA_LOG_LEVEL: 'silent', ...env });
  return () => server.wsUrl;
};

/** Runs every step in order; resolves with the names of the steps that passed. */
const runAll = async (run: ReturnType<typeof scenario>) => {
  const passed: string[] = [];
  try {
    for (const step of run.steps) {
      await step.run();
      passed.push(step.name);
    }
  } finally {
    await run.close();
  }
  return passed;
};

describe('the smoke scenario with auth off', () => {
  const wsUrl = useLocalStack({ CONNECT_JWT_SECRET: '', CONNECT_SECRET: '' });

  it('passes every step against the local stack', async () => {
    const run = scenario(wsUrl());
    expect(await runAll(run)).toHaveLength(run.steps.length);
  });

  it('fails its first step when nothing answers at the URL', async () => {
    const run = scenario('ws://127.0.0.1:1');
    await expect(run.steps[0]?.run()).rejects.toThrow();
    await run.close();
  });
});

describe('the smoke scenario with JWT auth on', () => {
  const wsUrl = useLocalStack({ CONNECT_JWT_SECRET: JWT_SECRET });
  const token = signJwt({ name: 'smoke', sub: 'smoke', exp: epochSeconds(900) }, JWT_SECRET);

  it('passes every step with the token as a subprotocol, and checks that no token is refused', async () => {
    const run = scenario(wsUrl(), { token });
    const passed = await runAll(run);
    expect(passed).toHaveLength(run.steps.length);
    expect(passed.at(-1)).toBe(
      'a connection without the token is refused with HTTP 401 on the upgrade',
    );
  });

  it('fails its first step when the token is not accepted', async () => {
    const forged = signJwt(
      { name: 'smoke', sub: 'smoke', exp: epochSeconds(900) },
      'not-the-secret',
    );
    const run = scenario(wsUrl(), { token: forged });
    await expect(run.steps[0]?.run()).rejects.toThrow('HTTP 401');
    await run.close();
  });
});
