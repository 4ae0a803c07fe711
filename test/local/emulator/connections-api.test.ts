import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { openClient } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const KIB = 1024;

/** An emulator with one open client, its connection id and a real SDK client for the API. */
const connected = async (options: { stage?: string } = {}) => {
  const rec = recorder();
  const emulator = await startEmulator(rec.handler, options);
  const client = await openClient(emulator.wsUrl);
  const connectionId: string = rec.events('$connect')[0].requestContext.connectionId;
  const sdk = new ApiGatewayManagementApiClient({
    endpoint: emulator.httpUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  onTestFinished(() => sdk.destroy());
  return {
    rec,
    emulator,
    client,
    connectionId,
    sdk,
    url: connectionUrl(emulator.httpUrl, connectionId),
  };
};

describe('@connections API', () => {
  it('delivers a POST as a text frame and answers 200, through the real SDK', async () => {
    const { client, connectionId, sdk } = await connected();
    const sent = await sdk.send(
      new PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: new TextEncoder().encode('héllo'),
      }),
    );
    expect(sent.$metadata.httpStatusCode).toBe(200);
    expect(await client.next()).toBe('héllo');
  });

  it('accepts the stage in the path, as the stage callback URL has it', async () => {
    const { client, emulator, connectionId } = await connected({ stage: 'dev' });
    const url = `${emulator.httpUrl}/dev/@connections/${encodeURIComponent(connectionId)}`;
    expect((await signedFetch(url, { method: 'POST', body: 'staged' })).status).toBe(200);
    expect(await client.next()).toBe('staged');
  });

  it('describes a connection on GET: connectedAt, identity, lastActiveAt', async () => {
    const { rec, connectionId, sdk, url } = await connected();
    const raw = await signedFetch(url);
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as Record<string, unknown>;
    const { connectedAt, identity } = rec.events('$connect')[0].requestContext;
    expect(body).toEqual({
      connectedAt: new Date(connectedAt).toISOString(),
      identity: { sourceIp: identity.sourceIp, userAgent: identity.userAgent },
      lastActiveAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const viaSdk = await sdk.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(viaSdk.ConnectedAt?.getTime()).toBe(connectedAt);
    expect(viaSdk.Identity?.SourceIp).toBe('127.0.0.1');
    expect(viaSdk.LastActiveAt).toBeInstanceOf(Date);
  });

  it('closes the connection on DELETE with 204, and $disconnect follows', async () => {
    const { rec, emulator, client, connectionId, sdk } = await connected();
    const deleted = await sdk.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await client.closed;
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(1);
  });

  // As API Gateway does (see CLOSE.deleted in local/emulator/connections.ts for the sources).
  it('closes a deleted connection with a close frame without a status, which the client sees as 1005', async () => {
    const { rec, emulator, client, connectionId, sdk } = await connected();
    await sdk.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect(await client.closed).toEqual({ code: 1005, reason: '' });
    await emulator.stop();
    const [disconnect] = rec.events('$disconnect');
    expect(disconnect.requestContext).toMatchObject({
      disconnectStatusCode: 1000,
      disconnectReason: 'Connection Closed Normally',
    });
  });

  it('answers 410 GoneException for an id it never issued', async () => {
    const { emulator, sdk } = await connected();
    const raw = await signedFetch(connectionUrl(emulator.httpUrl, 'Nope1234567890A='), {
      method: 'POST',
      body: 'x',
    });
    expect(raw.status).toBe(410);
    expect(raw.headers.get('x-amzn-errortype')).toBe('GoneException');
    expect(await raw.json()).toEqual({ message: null });
    const failure = sdk.send(new GetConnectionCommand({ ConnectionId: 'Nope1234567890A=' }));
    await expect(failure).rejects.toBeInstanceOf(GoneException);
  });

  it('answers 410 GoneException for a connection that has closed', async () => {
    const { rec, client, url } = await connected();
    client.close();
    await vi.waitFor(() => expect(rec.events('$disconnect')).toHaveLength(1));
    for (const method of ['POST', 'GET', 'DELETE']) {
      const raw = await signedFetch(url, { method, ...(method === 'POST' ? { body: 'x' } : {}) });
      expect(raw.status).toBe(410);
      expect(raw.headers.get('x-amzn-errortype')).toBe('GoneException');
    }
  });

  it('takes a 128 KiB payload and refuses one byte more with 413', async () => {
    const { client, url } = await connected();
    const limit = 'a'.repeat(128 * KIB);
    expect((await signedFetch(url, { method: 'POST', body: limit })).status).toBe(200);
    expect(await client.next()).toBe(limit);
    const tooBig = await signedFetch(url, { method: 'POST', body: `${limit}b` });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('x-amzn-errortype')).toBe('PayloadTooLargeException');
    expect((await signedFetch(url, { method: 'POST', body: 'after' })).status).toBe(200);
    expect(await client.next()).toBe('after');
    expect(client.received).toHaveLength(2);
  });
});
