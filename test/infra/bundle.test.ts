import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useFakeAws } from '../support/fake-aws.js';
import { useTable } from '../support/table.js';
import { startBundle } from './support/bundle-runner.js';
import { useSynth } from './support/synth.js';

/** Static `import ... from "x"`, bare `import "x"` and dynamic `import("x")` of a minified file. */
const IMPORTS =
  /(?:^|[;}\n])\s*import\s*(?:[^;"']*?\bfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

const table = useTable();
const aws = useFakeAws();
const synth = useSynth({ context: { stage: 'test' }, bundle: true });
let bundleDir: string;
let bundle: Awaited<ReturnType<typeof startBundle>>;

beforeAll(async () => {
  const code = synth.fn.Properties?.Code as { S3Key: string };
  bundleDir = join(synth.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  // Configured only through the environment, as Lambda and infra/ configure it.
  bundle = await startBundle(bundleDir, {
    TABLE_NAME: table.tableName,
    CALLBACK_URL: aws.url,
    AWS_LAMBDA_FUNCTION_NAME: synth.settings.functionName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: aws.url,
    AWS_REGION: localAwsConfig.region,
    AWS_ACCESS_KEY_ID: localAwsConfig.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAwsConfig.credentials.secretAccessKey,
    // Only errors: the test below reads one.
    AWS_LAMBDA_LOG_LEVEL: 'error',
  });
});
afterAll(() => bundle?.stop());

describe('the function bundle', () => {
  it('is one minified ESM file and its source map', () => {
    expect(readdirSync(bundleDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b/);
    // Minified: the source's own names are gone.
    for (const name of ['postWithRetry', 'createConnectionsApi', 'historyFrames']) {
      expect(code).not.toContain(name);
    }
  });

  it('carries its own AWS SDK instead of importing the runtime’s', () => {
    const code = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
    const specifiers = [...code.matchAll(IMPORTS)].map((match) => match[1] ?? match[2]);
    expect(specifiers).toContain('node:http');
    expect(specifiers.filter((s) => !s?.startsWith('node:'))).toEqual([]);
  });

  it('connects, replays, stores and broadcasts through the real SDK clients', async () => {
    const room = `bundle-${Date.now()}`;
    const connected = await bundle.invoke(connectEvent('conn-a', { room, name: 'alice' }));
    expect(connected).toEqual({ statusCode: 200 });
    expect(aws.invocations).toEqual([
      {
        replay: { connectionId: 'conn-a', room, connectedAt: expect.any(Number) },
      },
    ]);

    await bundle.invoke(aws.invocations[0]);
    const [session, ...rest] = aws.delivered('conn-a');
    expect(session).toMatchObject({ type: 'session', room, name: 'alice' });
    expect(rest).toEqual([
      { type: 'history', room, messages: [], hasMore: false },
      {
        type: 'presence',
        room,
        count: 1,
        names: ['alice'],
        members: [{ userId: session?.userId, name: 'alice' }],
        more: false,
      },
    ]);

    await bundle.invoke(sendFrame('conn-a', { message: 'hello', id: 'c-1' }));
    expect(aws.delivered('conn-a').at(-1)).toMatchObject({
      type: 'message',
      room,
      seq: 1,
      id: 'c-1',
      sender: 'alice',
      text: 'hello',
    });
  });

  it('answers an unknown action with an error frame', async () => {
    await bundle.invoke(messageEvent('conn-a', '{"action":"dance"}'));
    expect(aws.delivered('conn-a').at(-1)).toMatchObject({ type: 'error', code: 'unknown_action' });
  });

  it('logs an unexpected error’s stack with frames in our sources, read from its map without --enable-source-maps', async () => {
    expect(synth.fn.Properties?.Environment).not.toHaveProperty('Variables.NODE_OPTIONS');
    // A self-invocation payload that fails its schema: the error boundary logs it and rethrows.
    await expect(bundle.invoke({})).rejects.toThrow();
    await expect
      .poll(() => bundle.logs.some((line) => line.includes('unexpected_error')))
      .toBe(true);
    const line = JSON.parse(bundle.logs.find((l) => l.includes('unexpected_error')) ?? '{}');
    expect(line.stack).toMatch(/\bsrc\/router\/[\w-]+\.ts:\d+:\d+/);
    expect(line.stack).not.toContain(`${pathToFileURL(join(bundleDir, 'index.mjs')).href}:`);
  });
});
