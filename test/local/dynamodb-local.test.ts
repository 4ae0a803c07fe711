import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { alive, descendants, probePort } from './fixtures/processes.js';
import { rawRequest } from './fixtures/raw-http.js';

const LIST_TABLES = {
  method: 'POST',
  body: '{}',
  headers: {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': 'DynamoDB_20120810.ListTables',
    Authorization:
      'AWS4-HMAC-SHA256 Credential=local/20261126/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  },
};

/** This machine's addresses other than 127.0.0.1: another loopback one, and its interfaces'. */
const otherAddresses = () => [
  ...(process.platform === 'linux' ? ['127.0.0.2'] : []),
  ...Object.values(networkInterfaces())
    .flat()
    .filter((nic) => nic !== undefined && !nic.internal && !nic.address.startsWith('fe80:'))
    .map((nic) => nic?.address as string),
];

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** Starts DynamoDB Local for one test and stops it afterwards. */
const started = async (options: Parameters<typeof startDynamoDbLocal>[0]) => {
  const dynamo = await startDynamoDbLocal(options);
  onTestFinished(() => dynamo.stop());
  return dynamo;
};

describe('DynamoDB Local as npm start runs it', () => {
  const endpoint = () => inject('dynamoEndpoint');

  it('listens on 127.0.0.1 only: no other address of this machine reaches it', async () => {
    const port = Number(new URL(endpoint()).port);
    expect(await probePort('127.0.0.1', port)).toBe('open');
    const others = otherAddresses();
    expect(others.length).toBeGreaterThan(0);
    for (const address of others) {
      expect([address, await probePort(address, port)]).toEqual([address, 'ECONNREFUSED']);
    }
  });

  it("refuses a browser's cross-origin preflight and request, granting no origin", async () => {
    const origin = 'https://evil.example';
    const preflight = await rawRequest(endpoint(), {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-amz-target',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const request = await rawRequest(endpoint(), {
      ...LIST_TABLES,
      headers: { ...LIST_TABLES.headers, Origin: origin },
    });
    expect(request.status).toBe(403);
    expect(request.headers['access-control-allow-origin']).toBeUndefined();
    expect(request.body).not.toContain('TableNames');
  });

  it('refuses a request for a foreign Host (DNS rebinding) with 421, and answers the SDK', async () => {
    const port = new URL(endpoint()).port;
    const rebound = await rawRequest(endpoint(), {
      ...LIST_TABLES,
      headers: { ...LIST_TABLES.headers, Host: `evil.example:${port}` },
    });
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain('loopback Host');
    const sdkLike = await rawRequest(endpoint(), LIST_TABLES);
    expect(sdkLike.status).toBe(200);
    expect(sdkLike.body).toContain('TableNames');
  });

  it('takes Java down with it when the Node process that started it is SIGKILLed', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/local/fixtures/start-dynamodb.ts'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    const started = await vi.waitFor(
      () => JSON.parse(printed.split('\n')[0] as string) as { endpoint: string },
      { timeout: 45_000, interval: 100 },
    );
    const port = Number(new URL(started.endpoint).port);
    const java = descendants(child.pid as number)
      .filter((process) => /^java\b.*DynamoDBLocal/.test(process.args))
      .map((process) => process.pid);
    onTestFinished(() => {
      for (const pid of alive(java)) process.kill(pid, 'SIGKILL');
    });
    expect(java).toHaveLength(1);
    expect(await probePort('127.0.0.1', port)).toBe('open');

    child.kill('SIGKILL');
    await vi.waitFor(() => expect(alive(java)).toEqual([]), { timeout: 15_000, interval: 100 });
    expect(await probePort('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('creates a --data directory that does not exist yet, and keeps its data there', async () => {
    const dataDir = join(tempDir(), 'fresh', '.data');
    await started({ dataDir });
    expect(readdirSync(dataDir)).toContain('shared-local-instance.db');
  });

  it('says what to do when --data is a file', async () => {
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'not a directory');
    await expect(startDynamoDbLocal({ dataDir: file })).rejects.toThrow(
      /is a file, not a directory\. Give --data a directory/,
    );
  });

  it('says what to do when --data holds something that is not its data', async () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'shared-local-instance.db'), 'x'.repeat(4096));
    await expect(startDynamoDbLocal({ dataDir })).rejects.toThrow(
      /cannot use the data in .*: file is (encrypted or is )?not a database\.\nPoint --data at a directory/,
    );
  });

  it('says what to do when its port is taken', async () => {
    // Something else on the port, that accepts and hangs up.
    const holder = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    onTestFinished(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const { port } = holder.address() as { port: number };
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(
      `could not listen on 127.0.0.1:${port}: the port is in use`,
    );
  });
});
