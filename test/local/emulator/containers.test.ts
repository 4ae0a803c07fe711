import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { EmulatorOptions } from '../../../local/emulator/index.js';
import { openClient, refusedUpgrade } from '../fixtures/clients.js';
import type { ProbeAction } from '../fixtures/container-probe.js';
import { startEmulator } from '../fixtures/emulator.js';

const PROBE = 'test/local/fixtures/container-probe.ts#handler';

const startProbe = (options: Omit<EmulatorOptions, 'handler'> = {}) =>
  startEmulator(PROBE, options);

/** A Lambda client configured only by the environment the emulator set, as the handler's is. */
const lambdaClient = () => {
  const client = new LambdaClient({ maxAttempts: 1 });
  onTestFinished(() => client.destroy());
  return client;
};

const invoke = async (
  client: LambdaClient,
  action: ProbeAction,
  type: 'RequestResponse' | 'Event' = 'RequestResponse',
) => {
  const answer = await client.send(
    new InvokeCommand({
      FunctionName: 'chat-local',
      InvocationType: type,
      Payload: new TextEncoder().encode(JSON.stringify(action)),
    }),
  );
  const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
  return {
    status: answer.StatusCode,
    functionError: answer.FunctionError,
    payload: text === '' ? undefined : JSON.parse(text),
  };
};

/** A fresh directory for the files the probe waits for and writes. */
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'containers-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return (name: string) => join(dir, name);
};

/**
 * Starts an invocation that writes the file `started`, then waits until `release` exists;
 * resolves once it has started, its result still to come.
 */
const heldInvocation = async (
  client: LambdaClient,
  file: (name: string) => string,
  started: string,
  release: string,
) => {
  const result = invoke(client, { do: 'count', started: file(started), waitFor: file(release) });
  await fileText(file(started));
  return { result };
};

/** Keeps the emulator's lines about failed invocations out of the test output. */
const hushErrors = () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  onTestFinished(() => errors.mockRestore());
  return errors;
};

const fileText = (path: string) =>
  vi.waitFor(() => readFileSync(path, 'utf8'), { timeout: 10_000, interval: 20 });

describe('containers', () => {
  it('gives two concurrent invocations containers of their own, with their own module state', async () => {
    const file = scratch();
    const emulator = await startProbe();
    const client = lambdaClient();
    // The first waits until the second has run, so both are in flight at once.
    const { result: first } = await heldInvocation(client, file, 'first-started', 'second-ran');
    const second = await invoke(client, { do: 'count', write: file('second-ran') });
    expect(second.payload).toEqual({ count: 1 });
    expect((await first).payload).toEqual({ count: 1 });
    expect(emulator.runtime.stats()).toMatchObject({ mode: 'containers', containersCreated: 2 });
  });

  it("runs the bundle as Lambda's node does: no flags, loaders or source maps from the emulator's own process", async () => {
    await startProbe();
    const { payload } = await invoke(lambdaClient(), { do: 'runtime' });
    expect(payload).toEqual({ execArgv: [], sourceMaps: false });
  });

  it('reuses a warm container for a later invocation, module state and all', async () => {
    const emulator = await startProbe();
    const client = lambdaClient();
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 1 });
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 2 });
    expect(emulator.runtime.stats().containersCreated).toBe(1);
  });

  it('starts provisioned containers warm, so concurrent invocations up to that many start none', async () => {
    const file = scratch();
    const emulator = await startProbe({ provisioned: 3 });
    expect(emulator.runtime.stats()).toMatchObject({ containersCreated: 3, containersAlive: 3 });
    const client = lambdaClient();
    const { result: first } = await heldInvocation(client, file, 'a', 'go');
    const { result: second } = await heldInvocation(client, file, 'b', 'go');
    await invoke(client, { do: 'count', write: file('go') });
    await Promise.all([first, second]);
    expect(emulator.runtime.stats().containersCreated).toBe(3);
  });

  it("counts cold starts and logs Lambda's REPORT line with the Init Duration", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    onTestFinished(() => log.mockRestore());
    const file = scratch();
    const emulator = await startProbe({ quiet: false });
    const client = lambdaClient();
    const { result: first } = await heldInvocation(client, file, 'started', 'go');
    await invoke(client, { do: 'count', write: file('go') });
    await first;
    const stats = emulator.runtime.stats();
    expect(stats.containersCreated).toBe(2);
    expect(stats.initDurationsMs).toHaveLength(2);
    expect(stats.initDurationsMs.every((ms) => ms > 0)).toBe(true);
    const reports = lines.filter((line) => line.includes('REPORT RequestId: '));
    expect(reports).toHaveLength(2);
    // The pre-started container was warm; the second one was a cold start.
    expect(reports.filter((line) => /\tInit Duration: \d+\.\d\d ms$/.test(line))).toHaveLength(1);
  });

  it('fails an invocation whose handler calls process.exit as Lambda does, and keeps serving', async () => {
    hushErrors();
    const emulator = await startProbe();
    const client = lambdaClient();
    const exited = await invoke(client, { do: 'exit', code: 3 });
    expect(exited.functionError).toBe('Unhandled');
    expect(exited.payload.errorType).toBe('Runtime.ExitError');
    expect(exited.payload.errorMessage).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/,
    );
    // A fresh container: its count starts again.
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 1 });
    expect(emulator.runtime.stats().containersAlive).toBe(1);
  });

  it('fails only the caller when a message handler exits; another client still chats', async () => {
    const errors = hushErrors();
    const emulator = await startProbe();
    const quitter = await openClient(emulator.wsUrl);
    const chatter = await openClient(emulator.wsUrl);
    quitter.send(JSON.stringify({ do: 'exit', code: 1 }));
    expect(JSON.parse(await quitter.next())).toMatchObject({ message: 'Internal server error' });
    chatter.send(JSON.stringify({ do: 'echo' }));
    expect(await chatter.next()).toMatch(/^echo \d+$/);
    expect(String(errors.mock.calls[0]?.[1])).toContain('Runtime.ExitError');
  });

  it('fails the invocation in flight on an asynchronous throw and throws the container away', async () => {
    hushErrors();
    const emulator = await startProbe();
    const client = lambdaClient();
    const crashed = await invoke(client, { do: 'throw-later' });
    expect(crashed.payload).toMatchObject({ errorType: 'Error', errorMessage: 'thrown later' });
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 1 });
    expect(emulator.runtime.stats().containersCreated).toBe(2);
  });

  it('fails the invocation in flight on an unhandled rejection, as Runtime.UnhandledPromiseRejection', async () => {
    hushErrors();
    await startProbe();
    const client = lambdaClient();
    const crashed = await invoke(client, { do: 'reject-unawaited' });
    expect(crashed.payload).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody awaited',
    });
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 1 });
  });

  it('terminates the container of a timed-out invocation, so nothing of it runs on', async () => {
    hushErrors();
    const file = scratch();
    const emulator = await startProbe({ timeoutMs: 200 });
    const client = lambdaClient();
    const timedOut = await invoke(client, {
      do: 'write-later',
      path: file('late'),
      afterMs: 400,
    });
    expect(timedOut.payload).toMatchObject({
      errorType: 'TimeoutError',
      errorMessage: 'Task timed out after 0.20 seconds',
    });
    // Past the moment the handler would have written, had its container lived on.
    await sleep(800);
    expect(existsSync(file('late'))).toBe(false);
    expect(emulator.runtime.stats().containersAlive).toBe(0);
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 1 });
  });
});

describe('the concurrency limit', () => {
  it('throttles a sync invocation with TooManyRequestsException and queues an async one until a container frees', async () => {
    const file = scratch();
    const emulator = await startProbe({ concurrency: 1 });
    const client = lambdaClient();
    // The only container is busy from here until the test writes `release`.
    const { result: busy } = await heldInvocation(client, file, 'started', 'release');
    const throttled = invoke(client, { do: 'count' });
    await expect(throttled).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      $metadata: { httpStatusCode: 429 },
    });
    const queued = await invoke(client, { do: 'count', write: file('queued-ran') }, 'Event');
    expect(queued.status).toBe(202);
    await sleep(200);
    expect(existsSync(file('queued-ran'))).toBe(false);
    writeFileSync(file('release'), '');
    expect((await busy).payload).toEqual({ count: 1 });
    // It ran after the first, in the same (the only) container.
    expect(await fileText(file('queued-ran'))).toBe('2');
    expect(emulator.runtime.stats()).toMatchObject({ containersCreated: 1, throttled: 1 });
  });

  it("gives a throttled route API Gateway's integration failure: 502 on $connect, the error frame on a message", async () => {
    hushErrors();
    const file = scratch();
    const emulator = await startProbe({ concurrency: 1 });
    const client = await openClient(emulator.wsUrl);
    const { result: busy } = await heldInvocation(lambdaClient(), file, 'started', 'release');
    client.send(JSON.stringify({ do: 'echo' }));
    expect(JSON.parse(await client.next())).toMatchObject({ message: 'Internal server error' });
    expect(await refusedUpgrade(emulator.wsUrl)).toEqual({
      status: 502,
      body: '{"message": "Internal server error"}',
    });
    writeFileSync(file('release'), '');
    await busy;
  });
});

describe('the pool of worker threads', () => {
  it('hosts concurrent containers in at most `workers` threads, each with its own module state', async () => {
    const file = scratch();
    const emulator = await startProbe({ workers: 2 });
    const client = lambdaClient();
    const held = [];
    for (let n = 0; n < 6; n++) {
      held.push((await heldInvocation(client, file, `started-${n}`, 'go')).result);
    }
    writeFileSync(file('go'), '');
    const answers = (await Promise.all(held)).map((answer) => answer.payload);
    expect(answers.every((payload) => payload.count === 1)).toBe(true);
    expect(emulator.runtime.stats()).toMatchObject({ containersCreated: 6, workersAlive: 2 });
  });

  it('queues an invocation the pool cannot hold yet instead of throttling it, when the concurrency limit is above the pool', async () => {
    const file = scratch();
    const emulator = await startProbe({ workers: 1, containersPerWorker: 1, concurrency: 100 });
    const client = lambdaClient();
    const { result: busy } = await heldInvocation(client, file, 'started', 'release');
    const waiting = invoke(client, { do: 'count', write: file('second-ran') });
    await vi.waitFor(() => expect(emulator.runtime.stats().queued).toBe(1));
    expect(existsSync(file('second-ran'))).toBe(false);
    writeFileSync(file('release'), '');
    expect((await busy).payload).toEqual({ count: 1 });
    // It waited for the one container, then ran in it.
    expect((await waiting).payload).toEqual({ count: 2 });
    expect(emulator.runtime.stats()).toMatchObject({ throttled: 0, containersCreated: 1 });
  });

  it('throttles a sync invocation once the backlog waiting for the pool is full', async () => {
    hushErrors();
    const file = scratch();
    const emulator = await startProbe({ workers: 1, containersPerWorker: 1, backlog: 1 });
    const client = lambdaClient();
    const { result: busy } = await heldInvocation(client, file, 'started', 'release');
    const waiting = invoke(client, { do: 'count' });
    await vi.waitFor(() => expect(emulator.runtime.stats().queued).toBe(1));
    await expect(invoke(client, { do: 'count' })).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    writeFileSync(file('release'), '');
    await Promise.all([busy, waiting]);
    expect(emulator.runtime.stats().throttled).toBe(1);
  });

  it('fails only the invocation whose container exited; another running in the same thread finishes', async () => {
    hushErrors();
    const file = scratch();
    const emulator = await startProbe({ workers: 1 });
    const client = lambdaClient();
    const { result: held } = await heldInvocation(client, file, 'started', 'release');
    const exited = await invoke(client, { do: 'exit', code: 7 });
    expect(exited.payload.errorType).toBe('Runtime.ExitError');
    writeFileSync(file('release'), '');
    expect((await held).payload).toEqual({ count: 1 });
    // The thread was retired with the exit, and ended once the other invocation had finished.
    await vi.waitFor(() => expect(emulator.runtime.stats().workersAlive).toBe(0));
    expect((await invoke(client, { do: 'count' })).payload).toEqual({ count: 1 });
  });

  it('reaps idle workers with their containers and keeps the provisioned one warm', async () => {
    const file = scratch();
    const emulator = await startProbe({ workers: 2, containerIdleMs: 300 });
    const client = lambdaClient();
    const held = [];
    for (let n = 0; n < 3; n++) {
      held.push((await heldInvocation(client, file, `started-${n}`, 'go')).result);
    }
    writeFileSync(file('go'), '');
    await Promise.all(held);
    expect(emulator.runtime.stats()).toMatchObject({ containersAlive: 3, workersAlive: 2 });
    await vi.waitFor(
      () => expect(emulator.runtime.stats()).toMatchObject({ containersAlive: 1, workersAlive: 1 }),
      { timeout: 5_000, interval: 50 },
    );
    expect((await invoke(client, { do: 'count' })).payload.count).toBeGreaterThanOrEqual(1);
  });

  it("serves another connection's frame before a flood from one connection has drained", async () => {
    const emulator = await startProbe({ workers: 1, containersPerWorker: 1 });
    const flooder = await openClient(emulator.wsUrl);
    const other = await openClient(emulator.wsUrl);
    for (let n = 0; n < 20; n++) flooder.send(JSON.stringify({ do: 'sleep', ms: 100 }));
    await vi.waitFor(() => expect(emulator.runtime.stats().queued).toBeGreaterThan(15));
    other.send(JSON.stringify({ do: 'echo' }));
    expect(await other.next()).toMatch(/^echo \d+$/);
    // Most of the flood still waits: the echo took its turn, not the end of the line.
    expect(emulator.runtime.stats().queued).toBeGreaterThan(10);
  });

  it("runs two of one connection's frames at a time, however many containers are free, and another connection's at once", async () => {
    const emulator = await startProbe({ workers: 1, containersPerWorker: 8 });
    const flooder = await openClient(emulator.wsUrl);
    const other = await openClient(emulator.wsUrl);
    for (let n = 0; n < 6; n++) flooder.send(JSON.stringify({ do: 'sleep', ms: 400 }));
    await vi.waitFor(() => expect(emulator.runtime.stats().queued).toBe(4));
    other.send(JSON.stringify({ do: 'echo' }));
    expect(await other.next()).toMatch(/^echo \d+$/);
    expect(emulator.runtime.stats().queued).toBeGreaterThanOrEqual(2);
  });
});
