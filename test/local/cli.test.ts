import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { keyProtocols } from '../support/keys.js';
import { openClient } from './fixtures/clients.js';
import { alive, descendants } from './fixtures/processes.js';

/**
 * `npm start`'s command (node --import tsx local/cli.ts) in its own process group, as a terminal
 * runs it. One process: tsx's own CLI would put a parent in front that SIGKILLs the chat (exit
 * 130, DynamoDB Local orphaned) when the chat takes more than 60 ms to acknowledge a Ctrl-C.
 */
const startCli = (args: string[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  onTestFinished(() => killGroup(child, 'SIGKILL'));
  return { child, output: () => output };
};

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

describe('npm start', () => {
  it('runs the chat in one Node process, the command these tests start', async () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(scripts.start).toBe('node --import tsx local/cli.ts');
  });

  it('comes up, serves the chat, and leaves nothing running after Ctrl-C', async () => {
    const cli = startCli([
      '--port',
      '0',
      '--quiet',
      '--handler',
      'test/local/fixtures/echo.ts#handler',
    ]);
    const exited = new Promise<number | null>((done) => cli.child.once('exit', done));
    await vi.waitFor(() => expect(cli.output()).toContain('Press Ctrl-C to stop.'), {
      timeout: 45_000,
      interval: 100,
    });
    const output = cli.output();
    const httpUrl = output.match(/Browser\s+(http:\/\/\S+?)\/\s/)?.[1] as string;
    const wsUrl = output.match(/WebSocket\s+(ws:\/\/\S+)/)?.[1] as string;
    expect(output).toMatch(/Chat is ready in \d+\.\d s/);
    expect(output).toContain(`npx wscat -c "${wsUrl}/?room=general&name=alice"`);
    expect(output).toContain('{"action":"sendmessage","message":"hello"}');

    const home = await fetch(`${httpUrl}/`);
    expect(home.status).toBe(existsSync('client.html') ? 200 : 404);
    expect(await (await fetch(`${httpUrl}/config.json`)).json()).toEqual({ webSocketUrl: wsUrl });
    expect(output).toContain(`Dashboard   ${httpUrl}/dashboard`);
    expect((await fetch(`${httpUrl}/dashboard`)).status).toBe(200);

    const client = await openClient(`${wsUrl}/?room=general&name=alice`);
    client.send('{"action":"sendmessage","message":"hi"}');
    expect(JSON.parse(await client.next())).toEqual({
      route: 'sendmessage',
      body: '{"action":"sendmessage","message":"hi"}',
    });

    const family = descendants(cli.child.pid as number);
    expect(family.some((process) => /^java\b.*DynamoDBLocal/.test(process.args))).toBe(true);

    // Ctrl-C in a terminal signals the whole foreground process group.
    killGroup(cli.child, 'SIGINT');
    expect(await exited).toBe(0);
    expect((await client.closed).code).toBe(1001);
    await vi.waitFor(() => expect(alive(family.map((process) => process.pid))).toEqual([]));
    expect(alive([cli.child.pid as number])).toEqual([]);
  });

  it('explains its options on --help', async () => {
    const cli = startCli(['--help']);
    const code = await new Promise((done) => cli.child.once('exit', done));
    expect(code).toBe(0);
    for (const option of [
      '--port N',
      '--host ADDR',
      '--allow-host NAME',
      '--data DIR',
      '--handler PATH#NAME',
      '--concurrency N',
      '--moderator-key KEY',
      '--in-process',
      'PORT',
    ]) {
      expect(cli.output()).toContain(option);
    }
  });

  it('refuses a --concurrency that is not a whole number of at least 1, and says so', async () => {
    const cli = startCli(['--port', '0', '--concurrency', '0']);
    expect(await new Promise((done) => cli.child.once('exit', done))).toBe(2);
    expect(cli.output()).toContain('Not a concurrency (a whole number of at least 1): 0');
  });

  it('refuses a --moderator-key that is not a key, and says so', async () => {
    const cli = startCli(['--port', '0', '--moderator-key', 'not-a-key']);
    expect(await new Promise((done) => cli.child.once('exit', done))).toBe(2);
    expect(cli.output()).toContain(
      'Not a key (base64url of 32 bytes without padding, 43 characters): not-a-key',
    );
  });

  it('lets a connection offering a --moderator-key moderate, and no other', async () => {
    const [moderator, spare] = [randomBytes(32), randomBytes(32)];
    const cli = startCli([
      '--port',
      '0',
      '--quiet',
      '--moderator-key',
      spare.toString('base64url'),
      '--moderator-key',
      moderator.toString('base64url'),
    ]);
    const exited = new Promise<number | null>((done) => cli.child.once('exit', done));
    await vi.waitFor(() => expect(cli.output()).toContain('Press Ctrl-C to stop.'), {
      timeout: 45_000,
      interval: 100,
    });
    const wsUrl = cli.output().match(/WebSocket\s+(ws:\/\/\S+)/)?.[1] as string;
    // Each in a room of its own: its session frame is the first it gets.
    const sessionOf = async (key: Uint8Array, room: string) => {
      const client = await openClient(`${wsUrl}/?room=${room}&name=mod`, keyProtocols(key));
      const session = JSON.parse(await client.next());
      client.close();
      return session;
    };
    expect(await sessionOf(moderator, 'one')).toMatchObject({
      type: 'session',
      capabilities: ['read', 'send', 'moderate'],
    });
    expect(await sessionOf(randomBytes(32), 'two')).toMatchObject({
      capabilities: ['read', 'send'],
    });
    killGroup(cli.child, 'SIGINT');
    expect(await exited).toBe(0);
  });

  it('creates the --data directory on a fresh checkout, and keeps the data there', async () => {
    const dataDir = join(tempDir(), '.data');
    const cli = startCli(['--port', '0', '--quiet', '--data', dataDir]);
    const exited = new Promise<number | null>((done) => cli.child.once('exit', done));
    await vi.waitFor(() => expect(cli.output()).toContain('Press Ctrl-C to stop.'), {
      timeout: 45_000,
      interval: 100,
    });
    expect(cli.output()).toContain(`data in ${dataDir}`);
    expect(readdirSync(dataDir)).toContain('shared-local-instance.db');
    killGroup(cli.child, 'SIGINT');
    expect(await exited).toBe(0);
  });

  it('says what to do, and exits with 1, when --data is a file', async () => {
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'a file');
    const cli = startCli(['--port', '0', '--quiet', '--data', file]);
    expect(await new Promise((done) => cli.child.once('exit', done))).toBe(1);
    expect(cli.output()).toContain(`--data ${file}: ${file} (or a folder above it) is a file`);
    expect(cli.output()).toContain('Give --data a directory');
  });
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
