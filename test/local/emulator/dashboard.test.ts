import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { openClient } from '../fixtures/clients.js';
import { emfLine } from '../fixtures/emf-printer.js';
import { startEmulator } from '../fixtures/emulator.js';
import { rawRequest } from '../fixtures/raw-http.js';

const PRINTER = 'test/local/fixtures/emf-printer.ts#handler';

interface Totals {
  name: string;
  route?: string;
  unit: string;
  total: { count: number; sum: number; p50?: number; p99?: number };
}

/** Everything written to this process's stdout from now until the test ends. */
const captureStdout = () => {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  }) as typeof process.stdout.write);
  onTestFinished(() => spy.mockRestore());
  return () => text;
};

const seriesOf = async (httpUrl: string) => {
  const answer = await fetch(`${httpUrl}/dashboard/data`);
  expect(answer.headers.get('content-type')).toBe('application/json');
  return ((await answer.json()) as { series: Totals[] }).series;
};

/** The totals of one series, once the dashboard has them. */
const waitForSeries = (httpUrl: string, name: string, route?: string) =>
  vi.waitFor(
    async () => {
      const found = (await seriesOf(httpUrl)).find((s) => s.name === name && s.route === route);
      if (!found) throw new Error(`no ${name} ${route ?? ''} yet`);
      return found;
    },
    { timeout: 10_000 },
  );

const invokeWriting = async (chunks: string[]) => {
  const client = new LambdaClient({ maxAttempts: 1 });
  onTestFinished(() => client.destroy());
  const payload = new TextEncoder().encode(JSON.stringify({ write: chunks }));
  const answer = await client.send(
    new InvokeCommand({ FunctionName: 'chat-local', Payload: payload }),
  );
  expect(answer.FunctionError).toBeUndefined();
};

describe('the local dashboard', () => {
  it('reads the EMF lines containers write, split or not, and passes every line on to stdout', async () => {
    const stdout = captureStdout();
    const emulator = await startEmulator(PRINTER);
    const line = emfLine('sendmessage', { Invocations: 1, Duration: [12, 30], Mystery: 2 });
    const cut = line.indexOf('Duration');
    const chunks = [
      'plain line one\n',
      line.slice(0, cut),
      `${line.slice(cut)}\n`,
      'plain line two\n',
    ];
    await invokeWriting(chunks);

    const duration = await waitForSeries(emulator.httpUrl, 'Duration', 'sendmessage');
    expect(duration).toMatchObject({
      unit: 'Milliseconds',
      // Percentiles come from a histogram: within 1 %.
      total: { count: 2, sum: 42, p50: expect.closeTo(12, 0), p99: expect.closeTo(30, 0) },
    });
    expect(await waitForSeries(emulator.httpUrl, 'Mystery', 'sendmessage')).toMatchObject({
      total: { sum: 2 },
    });
    await vi.waitFor(() => expect(stdout()).toContain(chunks.join('')));
  });

  it('counts invocations by route as WebSocket clients connect and send', async () => {
    captureStdout();
    const emulator = await startEmulator(PRINTER);
    const client = await openClient(emulator.wsUrl);
    client.send(JSON.stringify({ action: 'sendmessage', message: 'hi' }));
    client.send(JSON.stringify({ action: 'sendmessage', message: 'again' }));
    await vi.waitFor(
      async () => {
        const sends = (await seriesOf(emulator.httpUrl)).find(
          (s) => s.name === 'Invocations' && s.route === 'sendmessage',
        );
        expect(sends?.total.sum).toBe(2);
      },
      { timeout: 10_000 },
    );
    expect(await waitForSeries(emulator.httpUrl, 'Invocations', '$connect')).toMatchObject({
      total: { sum: 1 },
    });
  });

  it('reads an in-process handler’s EMF lines from the emulator’s own stdout, which still gets them', async () => {
    const stdout = captureStdout();
    const line = emfLine('history', { Invocations: 1 });
    const emulator = await startEmulator(
      async () => {
        process.stdout.write('in-process log line\n');
        process.stdout.write(`${line}\n`);
        return { statusCode: 200 };
      },
      { runtime: 'in-process' },
    );
    await openClient(emulator.wsUrl);
    expect(await waitForSeries(emulator.httpUrl, 'Invocations', 'history')).toMatchObject({
      total: { sum: 1 },
    });
    expect(stdout()).toContain(`in-process log line\n${line}\n`);
  });

  it('serves its page with a policy that allows only its own script, style and data', async () => {
    const emulator = await startEmulator(PRINTER);
    expect(emulator.dashboardUrl).toBe(`${emulator.httpUrl}/dashboard`);
    const answer = await fetch(emulator.dashboardUrl);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = answer.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(
      /default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/,
    );
    expect(policy).toContain("connect-src 'self'");
    expect(await answer.text()).toContain('<main id="panels">');
  });

  it('answers its page and its data for loopback names only, as every page here', async () => {
    const emulator = await startEmulator(PRINTER);
    const port = new URL(emulator.httpUrl).port;
    for (const path of ['/dashboard', '/dashboard/data']) {
      const status = async (host: string) =>
        (await rawRequest(`${emulator.httpUrl}${path}`, { headers: { Host: host } })).status;
      expect(await status(`evil.example:${port}`)).toBe(421);
      expect(await status(`localhost:${port}`)).toBe(200);
    }
  });
});
