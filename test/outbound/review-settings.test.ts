import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { readReviewSettings } from '../../src/outbound/review-settings.js';

const BASE = { TABLE_NAME: 't', CALLBACK_URL: 'http://x', AWS_LAMBDA_FUNCTION_NAME: 'chat' };

describe('the review settings', () => {
  it('turn the review off without REVIEW_FUNCTION, or with a blank one', () => {
    expect(readReviewSettings({})).toBeUndefined();
    expect(readReviewSettings({ REVIEW_FUNCTION: '  ', REVIEW_FALLBACK: 'deny' })).toBeUndefined();
    expect(readConfig(BASE).review).toBeUndefined();
  });

  it('default to a 200 ms timeout that lets the message through', () => {
    expect(readConfig({ ...BASE, REVIEW_FUNCTION: 'chat-review' }).review).toEqual({
      functionName: 'chat-review',
      timeoutMs: 200,
      fallback: 'allow',
    });
  });

  it('take a function ARN, a timeout and a deny fallback', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:reviewer';
    expect(
      readReviewSettings({
        REVIEW_FUNCTION: arn,
        REVIEW_TIMEOUT_MS: '50',
        REVIEW_FALLBACK: 'Deny',
      }),
    ).toEqual({ functionName: arn, timeoutMs: 50, fallback: 'deny' });
  });

  it('keep the default timeout for one that is not a whole number of ms above 0', () => {
    for (const timeout of ['0', '-5', '1.5', 'soon']) {
      expect(
        readReviewSettings({ REVIEW_FUNCTION: 'r', REVIEW_TIMEOUT_MS: timeout })?.timeoutMs,
      ).toBe(200);
    }
  });

  it('refuse a fallback that is neither allow nor deny rather than guess', () => {
    expect(() => readReviewSettings({ REVIEW_FUNCTION: 'r', REVIEW_FALLBACK: 'dney' })).toThrow(
      'REVIEW_FALLBACK must be "allow" or "deny", not "dney"',
    );
  });
});
