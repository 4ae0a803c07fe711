import { describe, expect, it } from 'vitest';
import { refusalRule } from '../../src/budgets/flood.js';
import { type Limits, readConfig } from '../../src/config.js';

const limitsWith = (env: Record<string, string> = {}) =>
  readConfig({
    TABLE_NAME: 'chat',
    CALLBACK_URL: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/dev',
    AWS_LAMBDA_FUNCTION_NAME: 'chat-dev',
    ...env,
  }).limits;

const loud = { loud: true, counts: true };

describe('the flood rule', () => {
  it('cuts off at 3 bursts refused within a window, blocking the network 30 s at first and 15 min at most', () => {
    expect(limitsWith().flood).toEqual({
      refusedBursts: 3,
      block: { firstMs: 30_000, maxMs: 900_000 },
    });
    expect(refusalRule(limitsWith(), loud)).toEqual({
      windowMs: 4_000,
      loud: true,
      counts: true,
      cutAt: 60,
      batch: 20,
    });
  });

  it('reads its settings, 0 turning the cut-off or only the block off', () => {
    expect(
      limitsWith({
        ABUSE_REFUSED_BURSTS: '5',
        ABUSE_BLOCK_SECONDS: '10',
        ABUSE_BLOCK_MAX_SECONDS: '60',
      }).flood,
    ).toEqual({ refusedBursts: 5, block: { firstMs: 10_000, maxMs: 60_000 } });
    expect(limitsWith({ ABUSE_REFUSED_BURSTS: '0' }).flood).toBeUndefined();
    expect(refusalRule(limitsWith({ ABUSE_REFUSED_BURSTS: '0' }), loud).cutAt).toBeUndefined();
    expect(limitsWith({ ABUSE_BLOCK_SECONDS: '0' }).flood).toEqual({
      refusedBursts: 3,
      block: undefined,
    });
    // A cap below the first block is the first block.
    expect(limitsWith({ ABUSE_BLOCK_MAX_SECONDS: '5' }).flood?.block).toEqual({
      firstMs: 30_000,
      maxMs: 30_000,
    });
    expect(limitsWith({ ABUSE_REFUSED_BURSTS: 'lots' }).flood?.refusedBursts).toBe(3);
  });

  it('lasts a window as long as the frame budget takes to refill, between 1 s and a minute', () => {
    const windowOf = (connection: Limits['connection']) =>
      refusalRule({ ...limitsWith(), connection }, loud).windowMs;
    expect(windowOf({ perSecond: 10, burst: 30 })).toBe(3_000);
    expect(windowOf({ perSecond: 100, burst: 10 })).toBe(1_000);
    expect(windowOf({ perSecond: 0.01, burst: 20 })).toBe(60_000);
  });
});
