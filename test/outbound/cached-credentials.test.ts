import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS_REFRESH_MS,
  cachedCredentials,
} from '../../src/outbound/cached-credentials.js';

const HOUR = 3_600_000;

/** A provider handing out numbered credentials that expire an hour after `clock`, or failing. */
const provider = (clock: { now: number; failing: boolean }) => {
  const calls: string[] = [];
  const resolve = async (): Promise<AwsCredentialIdentity> => {
    calls.push('call');
    if (clock.failing)
      throw Object.assign(new Error('no credentials'), { name: 'CredentialsProviderError' });
    return {
      accessKeyId: `AKID${calls.length}`,
      secretAccessKey: 'secret',
      expiration: new Date(clock.now + HOUR),
    };
  };
  return { calls, resolve };
};

describe('cached credentials', () => {
  it('asks once for concurrent and later callers while the credentials are fresh', async () => {
    const clock = { now: 0, failing: false };
    const { calls, resolve } = provider(clock);
    const credentials = cachedCredentials(resolve, () => clock.now);
    const keys = await Promise.all([credentials(), credentials(), credentials()]);
    clock.now = HOUR - CREDENTIALS_REFRESH_MS - 1;
    keys.push(await credentials());
    expect(keys.map((key) => key.accessKeyId)).toEqual(['AKID1', 'AKID1', 'AKID1', 'AKID1']);
    expect(calls).toHaveLength(1);
  });

  it('asks again once the credentials are within the refresh margin of their expiration', async () => {
    const clock = { now: 0, failing: false };
    const { calls, resolve } = provider(clock);
    const credentials = cachedCredentials(resolve, () => clock.now);
    await credentials();
    clock.now = HOUR - CREDENTIALS_REFRESH_MS;
    expect((await credentials()).accessKeyId).toBe('AKID2');
    expect(calls).toHaveLength(2);
  });

  it('keeps using unexpired credentials while a refresh fails, and fails once they expire', async () => {
    const clock = { now: 0, failing: false };
    const { resolve } = provider(clock);
    const credentials = cachedCredentials(resolve, () => clock.now);
    await credentials();
    clock.failing = true;
    clock.now = HOUR - 1;
    expect((await credentials()).accessKeyId).toBe('AKID1');
    clock.now = HOUR;
    await expect(credentials()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });

  it('does not keep a failed first resolution: the next caller asks again', async () => {
    const clock = { now: 0, failing: true };
    const { calls, resolve } = provider(clock);
    const credentials = cachedCredentials(resolve, () => clock.now);
    await expect(credentials()).rejects.toThrow('no credentials');
    clock.failing = false;
    expect((await credentials()).accessKeyId).toBe('AKID2');
    expect(calls).toHaveLength(2);
  });
});
