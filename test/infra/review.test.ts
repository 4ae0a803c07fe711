import { afterAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../infra/settings.js';
import { synthChat } from './support/synth.js';
import { allStatements, applicationFunctions, type Statement } from './support/template.js';

const resolve = (context: Record<string, string> = {}, env: Record<string, string> = {}) =>
  resolveSettings({ context: (key) => context[key], env });

/** The chat function's environment and every resource it may `lambda:InvokeFunction`, synthesized. */
const synthesized = (context: Record<string, string>) => {
  const synth = synthChat({ context: { stage: 'test', ...context } });
  cleanups.push(synth.cleanup);
  const [fnId] = applicationFunctions(synth.stack) as [string];
  const resources = synth.template.toJSON().Resources;
  const invokes = allStatements(synth.template).filter(
    (statement: Statement) => statement.Action === 'lambda:InvokeFunction',
  );
  return {
    env: resources[fnId].Properties.Environment.Variables as Record<string, unknown>,
    // CDK merges statements of one action: each resource on its own, however they are grouped.
    invokes: invokes
      .flatMap((statement) =>
        Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
      )
      .map((resource) => JSON.stringify(resource)),
  };
};
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

/** The chat function invoking itself (replays, fan-out): granted with or without a review hook. */
const OWN = /":function:ServerlessChat-test-router"/;

describe('the review hook in the deployed stack', () => {
  it('is off by default: no REVIEW_ settings, and the function may invoke only itself', () => {
    const { env, invokes } = synthesized({});
    expect(Object.keys(env).filter((name) => name.startsWith('REVIEW_'))).toEqual([]);
    expect(invokes).toHaveLength(1);
    expect(invokes[0]).toMatch(OWN);
  });

  it('given a function name, lets the chat function invoke exactly that function in its account and Region', () => {
    const { env, invokes } = synthesized({
      reviewFunction: 'chat-moderator',
      reviewTimeoutMs: '300',
      reviewFallback: 'deny',
    });
    expect(env).toMatchObject({
      REVIEW_FUNCTION: 'chat-moderator',
      REVIEW_TIMEOUT_MS: '300',
      REVIEW_FALLBACK: 'deny',
    });
    expect(invokes).toHaveLength(2);
    const review = invokes.filter((resource) => !OWN.test(resource));
    expect(review).toHaveLength(1);
    expect(JSON.parse(review[0] as string)).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':lambda:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':function:chat-moderator',
        ],
      ],
    });
  });

  it('given a full ARN, grants invoking that ARN and nothing wider', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:chat-moderator';
    const { env, invokes } = synthesized({ reviewFunction: arn });
    expect(env.REVIEW_FUNCTION).toBe(arn);
    expect(env.REVIEW_TIMEOUT_MS).toBeUndefined();
    expect(env.REVIEW_FALLBACK).toBeUndefined();
    expect(invokes.filter((resource) => !OWN.test(resource))).toEqual([JSON.stringify(arn)]);
  });
});

describe('the review settings', () => {
  it('come from the context, else from CHAT_REVIEW_*', () => {
    expect(
      resolve({}, { CHAT_REVIEW_FUNCTION: 'reviewer', CHAT_REVIEW_FALLBACK: 'allow' }).review,
    ).toEqual({
      functionName: 'reviewer',
      timeoutMs: undefined,
      fallback: 'allow',
    });
    expect(
      resolve({ reviewFunction: 'ctx' }, { CHAT_REVIEW_FUNCTION: 'env' }).review?.functionName,
    ).toBe('ctx');
    expect(resolve().review).toBeUndefined();
  });

  it('refuse what is neither a function name nor a full function ARN', () => {
    for (const bad of [
      'has space',
      'a'.repeat(65),
      'arn:aws:lambda:us-east-1:123:function:x',
      'arn:aws:s3:::bucket',
      '*',
    ]) {
      expect(() => resolve({ reviewFunction: bad })).toThrow(/reviewFunction/);
    }
  });

  it('refuse a timeout that is not a whole number of ms from 1 to 10,000, and a fallback other than allow or deny', () => {
    for (const timeout of ['0', '1.5', '10001', 'soon']) {
      expect(() => resolve({ reviewFunction: 'r', reviewTimeoutMs: timeout })).toThrow(
        /reviewTimeoutMs/,
      );
    }
    expect(() => resolve({ reviewFunction: 'r', reviewFallback: 'maybe' })).toThrow(
      /reviewFallback/,
    );
  });

  it('refuse a timeout or fallback without a function, and the chat’s own function as its reviewer', () => {
    expect(() => resolve({ reviewFallback: 'deny' })).toThrow(/need reviewFunction/);
    expect(() => resolve({ stage: 'test', reviewFunction: 'ServerlessChat-test-router' })).toThrow(
      /another function/,
    );
  });
});
