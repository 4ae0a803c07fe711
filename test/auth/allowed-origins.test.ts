import { SSMClient } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOriginGate, ORIGINS_RETRY_MS } from '../../src/auth/allowed-origins.js';
import { checkOrigin } from '../../src/auth/connect-auth.js';
import { manualClock, useFakeSsm } from '../support/fake-ssm.js';

const ssm = useFakeSsm();
// Each test counts the reads it caused, whichever tests ran before it.
beforeEach(() => {
  ssm.requests.length = 0;
  ssm.parameters.clear();
});
// The site's origins are read at most once a minute, as documented (docs/security.md, "Who may
// connect"): written here, not imported, so that a change to the constant in src fails. The
// retry after a failed read is not documented, so it comes from src.
const REFRESH_MS = 60_000;

const site = 'https://d111111abcdef8.cloudfront.net';
const gate = (allowedOrigins: string[], parameter?: string, now = manualClock().now) =>
  createOriginGate(
    { allowedOrigins, allowedOriginsParameter: parameter },
    { ssm: () => new SSMClient({}), now },
  );

describe('the origin allow-list', () => {
  it('is off when neither a list nor a parameter is configured', () => {
    expect(gate([])).toBeUndefined();
  });

  it('lets in the configured origins and refuses others without asking SSM', async () => {
    const allowed = gate(['https://chat.example.com']);
    expect(await allowed?.('https://chat.example.com')).toBe('allowed');
    expect(await allowed?.('https://evil.example')).toBe('refused');
    expect(ssm.requests).toEqual([]);
  });

  it('adds the origins the site wrote to its parameter', async () => {
    ssm.parameters.set('/chat/site/a', { value: `${site}, https://other.example`, type: 'String' });
    const allowed = gate(['https://chat.example.com'], '/chat/site/a');
    expect(await allowed?.(site)).toBe('allowed');
    expect(await allowed?.('https://other.example')).toBe('allowed');
    expect(await allowed?.('https://chat.example.com')).toBe('allowed');
    expect(await allowed?.('https://evil.example')).toBe('refused');
    expect(ssm.readsOf('/chat/site/a')).toBe(1);
  });

  it('refuses every browser while the site’s parameter does not exist, and lets the site in once it does', async () => {
    const time = manualClock();
    const allowed = gate([], '/chat/site/later', time.now);
    expect(await allowed?.(site)).toBe('refused');
    ssm.parameters.set('/chat/site/later', { value: site, type: 'String' });
    time.advance(REFRESH_MS - 1);
    expect(await allowed?.(site)).toBe('refused');
    expect(ssm.readsOf('/chat/site/later')).toBe(1);
    time.advance(1);
    expect(await allowed?.(site)).toBe('allowed');
    expect(ssm.readsOf('/chat/site/later')).toBe(2);
  });

  it('reads the parameter once for a crowd of connections, and at most once a refresh interval', async () => {
    const time = manualClock();
    ssm.parameters.set('/chat/site/crowd', { value: site, type: 'String' });
    const allowed = gate([], '/chat/site/crowd', time.now);
    const verdicts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => allowed?.(i % 2 ? site : `https://x${i}.example`)),
    );
    expect(verdicts.filter((v) => v === 'allowed')).toHaveLength(25);
    expect(verdicts.filter((v) => v === 'refused')).toHaveLength(25);
    time.advance(REFRESH_MS / 2);
    await allowed?.('https://stranger.example');
    expect(ssm.readsOf('/chat/site/crowd')).toBe(1);
  });

  it('says it is unavailable while SSM refuses before any read succeeded, retries after a short back-off, never lets an unlisted origin in', async () => {
    const time = manualClock();
    ssm.parameters.set('/chat/site/denied', { error: 'AccessDeniedException' });
    const allowed = gate(['https://chat.example.com'], '/chat/site/denied', time.now);
    expect(await allowed?.(site)).toBe('unavailable');
    expect(await allowed?.('https://chat.example.com')).toBe('allowed');
    time.advance(ORIGINS_RETRY_MS - 1);
    expect(await allowed?.(site)).toBe('unavailable');
    expect(ssm.readsOf('/chat/site/denied')).toBe(1);
    ssm.parameters.set('/chat/site/denied', { value: site, type: 'String' });
    time.advance(1);
    expect(await allowed?.(site)).toBe('allowed');
  });

  it('keeps the list it read last while SSM fails, and asks again after the back-off', async () => {
    const time = manualClock();
    ssm.parameters.set('/chat/site/flaky', { value: site, type: 'String' });
    const allowed = gate([], '/chat/site/flaky', time.now);
    expect(await allowed?.(site)).toBe('allowed');
    ssm.parameters.set('/chat/site/flaky', { error: 'AccessDeniedException' });
    time.advance(REFRESH_MS);
    expect(await allowed?.(site)).toBe('allowed');
    expect(await allowed?.('https://evil.example')).toBe('refused');
    expect(ssm.readsOf('/chat/site/flaky')).toBe(2);
    ssm.parameters.set('/chat/site/flaky', { value: 'https://new.example', type: 'String' });
    time.advance(ORIGINS_RETRY_MS);
    expect(await allowed?.('https://new.example')).toBe('allowed');
    expect(await allowed?.(site)).toBe('refused');
  });

  it('refuses $connect from an unlisted origin with 403, and with 503 while the list cannot be read', async () => {
    ssm.parameters.set('/chat/site/connect', { error: 'ThrottlingException' });
    const event = (origin: string) => ({ headers: { Origin: origin } });
    const listed = { origins: gate(['https://chat.example.com']) };
    expect(await checkOrigin(listed, event('https://evil.example'))).toMatchObject({
      allowed: false,
      statusCode: 403,
      reason: 'origin not allowed',
    });
    const unreadable = { origins: gate([], '/chat/site/connect') };
    expect(await checkOrigin(unreadable, event(site))).toMatchObject({
      allowed: false,
      statusCode: 503,
      reason: 'the origin check is unavailable; try again later',
    });
    expect(await checkOrigin(unreadable, {})).toEqual({ allowed: true });
  });
});
