import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../infra/settings.js';

const resolve = (context: Record<string, string> = {}, env: Record<string, string> = {}) =>
  resolveSettings({ context: (key) => context[key], env });

describe('resolveSettings', () => {
  it('defaults to a throwaway dev stage', () => {
    expect(resolve()).toEqual({
      stage: 'dev',
      stackName: 'ServerlessChat-dev',
      functionName: 'ServerlessChat-dev-router',
      removalPolicy: RemovalPolicy.DESTROY,
    });
  });

  it('keeps the data of prod by default', () => {
    expect(resolve({ stage: 'prod' }).removalPolicy).toBe(RemovalPolicy.RETAIN);
  });

  it('takes the stage from CHAT_STAGE when the context has none', () => {
    expect(resolve({}, { CHAT_STAGE: 'prod' })).toMatchObject({
      stage: 'prod',
      stackName: 'ServerlessChat-prod',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  });

  it('prefers the context over the environment', () => {
    expect(resolve({ stage: 'alice' }, { CHAT_STAGE: 'prod' }).stage).toBe('alice');
  });

  it('lets an explicit removal override the stage default', () => {
    expect(resolve({ stage: 'prod', removal: 'destroy' }).removalPolicy).toBe(
      RemovalPolicy.DESTROY,
    );
    expect(resolve({ stage: 'demo', removal: 'retain' }).removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(resolve({ stage: 'prod' }, { CHAT_REMOVAL: 'destroy' }).removalPolicy).toBe(
      RemovalPolicy.DESTROY,
    );
  });

  it('rejects a removal other than retain or destroy', () => {
    expect(() => resolve({ removal: 'snapshot' })).toThrow(/retain.*destroy/);
  });

  it('rejects a stage that cannot name a stack, an API stage and a function', () => {
    for (const stage of ['', 'Prod', 'my_stage', '1st', 'a'.repeat(21)]) {
      expect(() => resolve({ stage })).toThrow(/stage/);
    }
  });

  it('keeps the function name within Lambda’s 64 characters for the longest stage', () => {
    expect(resolve({ stage: 'a'.repeat(20) }).functionName.length).toBeLessThanOrEqual(64);
  });
});
