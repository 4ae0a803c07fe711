import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { networkSocketsKey, roomMembersKey } from '../../src/store/dynamo/keys.js';
import { useChatServer } from '../support/chat-server.js';

/**
 * The caps on sockets per network and members per room, against the real emulator and
 * DynamoDB Local with real sockets. Other loopback addresses (127.0.0.2, …) are other networks.
 */
type Attempt = { open: true; ws: WebSocket } | { open: false; status: number; body: string };

/** Opens a socket from `localAddress`; resolves with it open, or with the refusal. */
const attempt = (url: string, localAddress = '127.0.0.1') =>
  new Promise<Attempt>((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ open: false, status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (error) => {
      if (!String(error).includes('aborted')) reject(error);
    });
  });

const closeAll = (attempts: Attempt[]) => {
  for (const a of attempts) if (a.open) a.ws.close();
};

// In-process: hundreds of connects at once would otherwise each cold-start a container.
const IN_PROCESS = { runtime: 'in-process' } as const;

describe('a storm of connects to one room', () => {
  const server = useChatServer(
    { ROOM_MEMBERS_MAX: '100', SOURCE_SOCKETS_MAX: '0', AWS_LAMBDA_LOG_LEVEL: 'warn' },
    IN_PROCESS,
  );
  const members = async () => {
    const { Item } = await server.client.send(
      new GetCommand({ TableName: server.tableName, Key: roomMembersKey('storm') }),
    );
    return Item?.count as number | undefined;
  };

  it('admits exactly the cap out of 200 at once, refuses the rest with 409, and counts back to 0 when all leave', async () => {
    const url = `${server.wsUrl}/?room=storm`;
    const attempts = await Promise.all(Array.from({ length: 200 }, () => attempt(url)));
    try {
      const refused = attempts.filter((a) => !a.open);
      expect(attempts.filter((a) => a.open)).toHaveLength(100);
      expect(refused).toHaveLength(100);
      expect(new Set(refused.map((a) => `${a.status} ${a.body}`))).toEqual(
        new Set(['409 room "storm" is full (100 members)']),
      );
      expect(await members()).toBe(100);
      expect(await server.store.countMembers('storm')).toBe(100);
    } finally {
      closeAll(attempts);
    }
    await vi.waitFor(async () => expect(await members()).toBe(0), { timeout: 30_000 });
    expect(await server.store.countMembers('storm')).toBe(0);
    const again = await attempt(url);
    expect(again.open).toBe(true);
    closeAll([again]);
  });
});

describe('sockets per network', () => {
  const server = useChatServer(
    { ROOM_MEMBERS_MAX: '0', SOURCE_SOCKETS_MAX: '5', AWS_LAMBDA_LOG_LEVEL: 'warn' },
    IN_PROCESS,
  );

  it('lets one address hold 5 sockets at once, refuses its 6th with 429, and leaves other addresses be', async () => {
    const url = (room: string) => `${server.wsUrl}/?room=${room}`;
    const crowd = await Promise.all(
      Array.from({ length: 8 }, (_, n) => attempt(url(`net-${n % 2}`), '127.0.0.2')),
    );
    const others = await Promise.all([attempt(url('net-0'), '127.0.0.3'), attempt(url('net-1'))]);
    try {
      expect(crowd.filter((a) => a.open)).toHaveLength(5);
      expect(crowd.find((a) => !a.open)).toEqual({
        open: false,
        status: 429,
        body: 'too many open connections from your network (at most 5 at once per network); close some and try again',
      });
      expect(others.every((a) => a.open)).toBe(true);
      // One leaves: its place is free again once its `$disconnect` has run.
      const leaving = crowd.find((a) => a.open);
      if (leaving?.open) leaving.ws.close();
      const count = async () => {
        const { Item } = await server.client.send(
          new GetCommand({ TableName: server.tableName, Key: networkSocketsKey('127.0.0.2') }),
        );
        return Item?.count as number | undefined;
      };
      await vi.waitFor(async () => expect(await count()).toBe(4), { timeout: 10_000 });
      const back = await attempt(url('net-0'), '127.0.0.2');
      crowd.push(back);
      expect(back.open).toBe(true);
    } finally {
      closeAll([...crowd, ...others]);
    }
  });
});
