import { describe, expect, it } from 'vitest';
import {
  createSecretSource,
  SecretUnavailableError,
} from '../../src/outbound/secret-parameters.js';
import { manualClock, useFakeSsm } from '../support/fake-ssm.js';

const ssm = useFakeSsm();
// How long an unreadable parameter is left before it is read again, as documented
// (docs/security.md, "Secrets"): written here, not imported, so that a change in src fails.
const RETRY_MS = 5_000;

describe('secrets from SSM Parameter Store', () => {
  it('reads each parameter decrypted, once per container', async () => {
    ssm.parameters.set('/chat/once/jwt', { value: 'jwt-key' });
    ssm.parameters.set('/chat/once/shared', { value: 'service-key' });
    const secrets = createSecretSource({
      jwtSecretParameter: '/chat/once/jwt',
      sharedSecretParameter: '/chat/once/shared',
    });
    const reads = await Promise.all([secrets(), secrets()]);
    expect(await secrets()).toEqual({ jwtSecret: 'jwt-key', sharedSecret: 'service-key' });
    expect(reads).toEqual([await secrets(), await secrets()]);
    expect(ssm.readsOf('/chat/once/jwt')).toBe(1);
    expect(ssm.readsOf('/chat/once/shared')).toBe(1);
    expect(ssm.requests.find((r) => r.Name === '/chat/once/jwt')?.WithDecryption).toBe(true);
  });

  it('keeps plain values beside a parameter', async () => {
    ssm.parameters.set('/chat/mixed/jwt', { value: 'jwt-key' });
    const secrets = createSecretSource({
      sharedSecret: 'plain',
      jwtSecretParameter: '/chat/mixed/jwt',
    });
    expect(await secrets()).toEqual({ sharedSecret: 'plain', jwtSecret: 'jwt-key' });
  });

  it('refuses while a parameter is unreadable, asks again only after the back-off, then caches it', async () => {
    const time = manualClock();
    const name = '/chat/broken/jwt';
    ssm.parameters.set(name, { error: 'AccessDeniedException' });
    const secrets = createSecretSource({ jwtSecretParameter: name }, { now: time.now });
    await expect(secrets()).rejects.toThrow(
      new SecretUnavailableError(`cannot read SSM parameter ${name}: AccessDeniedException`),
    );
    time.advance(RETRY_MS - 1);
    await expect(secrets()).rejects.toBeInstanceOf(SecretUnavailableError);
    expect(ssm.readsOf(name)).toBe(1);

    ssm.parameters.delete(name);
    time.advance(1);
    await expect(secrets()).rejects.toThrow('ParameterNotFound');
    expect(ssm.readsOf(name)).toBe(2);

    ssm.parameters.set(name, { value: 'now-readable' });
    time.advance(RETRY_MS);
    expect(await secrets()).toEqual({ jwtSecret: 'now-readable' });
    time.advance(RETRY_MS * 100);
    expect(await secrets()).toEqual({ jwtSecret: 'now-readable' });
    expect(ssm.readsOf(name)).toBe(3);
  });

  it('refuses when SSM cannot be reached, or the parameter is empty', async () => {
    ssm.parameters.set('/chat/hang-up', 'hang-up');
    const unreachable = createSecretSource({ jwtSecretParameter: '/chat/hang-up' });
    await expect(unreachable()).rejects.toBeInstanceOf(SecretUnavailableError);
    ssm.parameters.set('/chat/empty', { value: '' });
    const empty = createSecretSource({ sharedSecretParameter: '/chat/empty' });
    await expect(empty()).rejects.toThrow('SSM parameter /chat/empty has no value');
  });

  it('never makes an SSM client when no parameter is configured', async () => {
    const secrets = createSecretSource(
      { jwtSecret: 'plain' },
      {
        ssm: () => {
          throw new Error('no SSM client expected');
        },
      },
    );
    expect(await secrets()).toEqual({ jwtSecret: 'plain' });
  });
});
