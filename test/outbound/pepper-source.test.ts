import { describe, expect, it } from 'vitest';
import { readAuthConfig } from '../../src/config.js';
import {
  createPepperSource,
  SecretUnavailableError,
} from '../../src/outbound/secret-parameters.js';
import { manualClock, useFakeSsm } from '../support/fake-ssm.js';

const ssm = useFakeSsm();
// How long an unreadable parameter is left before it is read again, as documented
// (docs/security.md, "Secrets"): written here, not imported, so that a change in src fails.
const RETRY_MS = 5_000;

describe('the pepper’s source', () => {
  it('reads its parameter decrypted, once per container', async () => {
    ssm.parameters.set('/chat/pepper/once', { value: 'from-ssm' });
    const pepper = createPepperSource({ pepperParameter: '/chat/pepper/once' });
    expect(await Promise.all([pepper(), pepper()])).toEqual(['from-ssm', 'from-ssm']);
    expect(await pepper()).toBe('from-ssm');
    expect(ssm.readsOf('/chat/pepper/once')).toBe(1);
    expect(ssm.requests.find((r) => r.Name === '/chat/pepper/once')?.WithDecryption).toBe(true);
  });

  it('gives a plain value as set, and none when nothing is configured (the store keeps its own)', async () => {
    expect(await createPepperSource({ pepper: 'local pepper' })()).toBe('local pepper');
    expect(await createPepperSource({})()).toBeUndefined();
    expect(await createPepperSource({ pepper: '' })()).toBeUndefined();
  });

  it('refuses while its parameter is unreadable, asking again only after the back-off', async () => {
    const time = manualClock();
    const name = '/chat/pepper/broken';
    ssm.parameters.set(name, { error: 'AccessDeniedException' });
    const pepper = createPepperSource({ pepperParameter: name }, { now: time.now });
    await expect(pepper()).rejects.toThrow(
      new SecretUnavailableError(`cannot read SSM parameter ${name}: AccessDeniedException`),
    );
    ssm.parameters.set(name, { value: 'readable now' });
    time.advance(RETRY_MS - 1);
    await expect(pepper()).rejects.toBeInstanceOf(SecretUnavailableError);
    expect(ssm.readsOf(name)).toBe(1);
    time.advance(1);
    expect(await pepper()).toBe('readable now');
    expect(ssm.readsOf(name)).toBe(2);
  });

  it('is configured by PEPPER or PEPPER_PARAMETER, never both', () => {
    expect(readAuthConfig({ PEPPER: 'p' })).toMatchObject({ pepper: 'p' });
    expect(readAuthConfig({ PEPPER_PARAMETER: '/chat/pepper' })).toMatchObject({
      pepperParameter: '/chat/pepper',
    });
    expect(readAuthConfig({})).toMatchObject({ pepper: undefined, pepperParameter: undefined });
    expect(() => readAuthConfig({ PEPPER: 'p', PEPPER_PARAMETER: '/chat/pepper' })).toThrow(
      'set PEPPER or PEPPER_PARAMETER, not both',
    );
  });
});
