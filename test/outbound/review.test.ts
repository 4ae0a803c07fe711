import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createReviewer, NO_REASON, shownReason } from '../../src/outbound/review.js';
import { startEmulator } from '../local/fixtures/emulator.js';

const request = {
  action: 'sendmessage',
  room: 'r',
  userId: 'u',
  name: 'alice',
  text: 'hi',
} as const;

describe('a denial’s reason as shown to its sender', () => {
  it('is kept as the function gave it when it is a plain line', () => {
    expect(shownReason('no spam in this room')).toBe('no spam in this room');
  });

  it('is one line without control or direction-override characters', () => {
    expect(shownReason('bad\nword\u0007 \u202egnirts\u202c\ttoo')).toBe('bad word gnirts too');
  });

  it('is at most 200 characters, cut short with an ellipsis', () => {
    const shown = shownReason('x'.repeat(500));
    expect([...shown]).toHaveLength(200);
    expect(shown.endsWith('x…')).toBe(true);
    expect(shownReason('é'.repeat(200))).toBe('é'.repeat(200));
  });

  it('counts what a reader sees as one character as one, and bounds its bytes', () => {
    const family = '👨‍👩‍👧';
    expect(shownReason(family.repeat(3))).toBe(family.repeat(3));
    const shown = shownReason(`a${'\u0301'.repeat(2_000)}`.repeat(3));
    expect(Buffer.byteLength(shown)).toBeLessThanOrEqual(800);
  });

  it('says why when the function gave no reason', () => {
    expect(shownReason(undefined)).toBe(NO_REASON);
    expect(shownReason(' \n ')).toBe(NO_REASON);
  });
});

describe('the reviewer', () => {
  it('takes the fallback when the function cannot be invoked, naming the error', async () => {
    await startEmulator(async () => ({ statusCode: 200 }));
    const client = new LambdaClient({ maxAttempts: 1 });
    onTestFinished(() => client.destroy());
    const lines: Record<string, unknown>[] = [];
    const review = createReviewer(client, {
      functionName: 'no-such-reviewer',
      timeoutMs: 5_000,
      fallback: 'deny',
    });
    const verdict = await review(request, (_level, event, fields) =>
      lines.push({ event, ...fields }),
    );
    expect(verdict).toEqual({ result: 'DENY', reason: 'it could not be reviewed right now' });
    expect(lines).toEqual([
      expect.objectContaining({
        event: 'review_fallback',
        cause: 'invoke_failed',
        error: 'ResourceNotFoundException',
        function: 'no-such-reviewer',
      }),
    ]);
  });
});
