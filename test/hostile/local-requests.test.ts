import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handshakeStatus } from '../local/fixtures/handshake.js';
import { rawRequest } from '../local/fixtures/raw-http.js';
import { useChatServer } from '../support/chat-server.js';
import { connectClient, type TestClient } from '../support/ws-client.js';
import { FORGED_ROOM, localRequestCorpus } from './local-requests.js';

const server = useChatServer();
const httpUrl = () => server.wsUrl.replace(/^ws:/, 'http:');

/** The connection ids in a room, from the table. */
const membersOf = async (room: string) => {
  const answer = await server.client.send(
    new QueryCommand({
      TableName: server.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
      ExpressionAttributeValues: { ':pk': `ROOM#${room}`, ':conn': 'CONN#' },
    }),
  );
  return (answer.Items ?? []).map((item) => String(item.sk).slice('CONN#'.length));
};

/** A WebSocket handshake sent with this Origin: its HTTP status (101 when accepted). */
const originStatus = (url: string, origin: string) => handshakeStatus(url, { origin });

describe('requests a web page can make to npm start', () => {
  let victim: TestClient;
  let victimId: string;
  beforeAll(async () => {
    victim = await connectClient(`${server.wsUrl}/?room=victims&name=alice`);
    await victim.next((f) => f.type === 'history');
    [victimId = ''] = await membersOf('victims');
  });

  it.each(localRequestCorpus)('refuses %s', async (_case, forged) => {
    const answer = await rawRequest(`${httpUrl()}${forged.path.replace('{victim}', victimId)}`, {
      method: forged.method,
      headers: forged.headers,
      ...(forged.body === undefined ? {} : { body: forged.body }),
    });
    expect(answer.status).toBe(forged.status);
    expect(answer.body).toMatch(/Refused/);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('has acted on none of them: nothing stored, nothing delivered, nobody disconnected', async () => {
    expect(await server.store.lastSeq(FORGED_ROOM)).toBe(0);
    expect(await membersOf(FORGED_ROOM)).toEqual([]);
    expect(victim.ws.readyState).toBe(victim.ws.OPEN);
    // The chat itself, whose handler signs its calls, still works, and this is all alice got.
    victim.ws.send(JSON.stringify({ action: 'sendmessage', message: 'still mine' }));
    await victim.next((f) => f.text === 'still mine');
    expect(victim.frames.map((f) => f.type)).toEqual(['session', 'history', 'presence', 'message']);
  });

  it('refuses a WebSocket from a foreign Origin, and lets in its own pages and wscat', async () => {
    const url = `${server.wsUrl}/?room=victims&name=page`;
    const port = new URL(server.wsUrl).port;
    expect(await originStatus(url, 'https://evil.example')).toBe(403);
    expect(await originStatus(url, `http://evil.example:${port}`)).toBe(403);
    expect(await originStatus(url, `http://127.0.0.1:${port}`)).toBe(101);
    expect(await originStatus(url, `http://localhost:${port}`)).toBe(101);
    const wscatLike = await connectClient(`${server.wsUrl}/?room=victims&name=terminal`);
    wscatLike.ws.close();
  });

  it('refuses a WebSocket upgrade for a foreign Host (DNS rebinding) with 421', async () => {
    const status = await handshakeStatus(`${server.wsUrl}/?room=victims&name=rebound`, {
      headers: { Host: 'evil.example:3001' },
    });
    expect(status).toBe(421);
  });
});
