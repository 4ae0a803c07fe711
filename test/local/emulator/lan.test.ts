import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { deleteTable } from '../../../local/dynamodb-local.js';
import { isLoopback } from '../../../local/emulator/caller-guard.js';
import { startLocalStack } from '../../../local/stack.js';
import { sendFrame } from '../../support/events.js';
import { openClient, type RecordingClient } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { rawRequest } from '../fixtures/raw-http.js';
import { type AnyEvent, recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

/**
 * A non-loopback address of this machine. A request this machine sends to it comes from it, as
 * one from another machine on the LAN comes from that machine's address: not loopback either.
 */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find(
    (address) => address !== undefined && !address.internal && address.family === 'IPv4',
  )?.address;

const INVOKE = '/2015-03-31/functions/chat-local/invocations';
/** Nothing checks the signature: anyone can send a header that looks like one. */
const SIGNED_LOOKING =
  'AWS4-HMAC-SHA256 Credential=local/20261126/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00';

/** `$connect` and the rest accepted; a direct invocation answers `ran`. */
const ranUnlessRouted = (event: AnyEvent) =>
  event?.requestContext?.routeKey ? { statusCode: 200 } : 'ran';

const framesOf = (client: RecordingClient) =>
  client.received.map((text) => JSON.parse(text) as { type: string; text?: string });

describe('who may call Invoke and @connections', () => {
  it('counts 127.0.0.0/8, ::1 and IPv4 loopback written as IPv6 as this machine, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '::ffff:127.0.0.1']) {
      expect([address, isLoopback(address)]).toEqual([address, true]);
    }
    for (const address of [
      '192.0.2.2',
      '::ffff:192.0.2.2',
      'fd00::2',
      '::',
      '0.0.0.0',
      '',
      undefined,
    ]) {
      expect([address, isLoopback(address)]).toEqual([address, false]);
    }
    // A name is not an address.
    expect(isLoopback('127.example')).toBe(false);
  });
});

// Skipped where the machine has no address but loopback: there is no LAN to reach it from.
describe.skipIf(lanAddress === undefined)(
  `the emulator opened to the LAN (${lanAddress ?? 'no non-loopback IPv4 address here'}) with --host`,
  () => {
    const lan = lanAddress ?? '';

    it.each(['0.0.0.0', '::'])(
      'bound to %s, refuses Invoke and @connections from another address with 403, running and delivering nothing, and still serves them to this machine',
      async (host) => {
        const rec = recorder(ranUnlessRouted);
        const emulator = await startEmulator(rec.handler, { host, allowedHosts: [lan] });
        const port = new URL(emulator.httpUrl).port;
        const victim = await openClient(emulator.wsUrl);
        const victimId: string = rec.events('$connect')[0].requestContext.connectionId;
        const fromLan = `http://${lan}:${port}`;
        const forgedSend = JSON.stringify(sendFrame(victimId, { message: 'forged' }));
        const forgedFanout = JSON.stringify({
          fanout: { room: 'general', frame: '{"type":"message"}', shards: [0], deadline: 0 },
        });
        // The Host header is the sender's to choose: the rebinding guard's names do not help.
        for (const hostHeader of [`${lan}:${port}`, `127.0.0.1:${port}`]) {
          const headers = { Authorization: SIGNED_LOOKING, Host: hostHeader };
          const answers = [
            await rawRequest(`${fromLan}${INVOKE}`, { method: 'POST', headers, body: forgedSend }),
            await rawRequest(`${fromLan}${INVOKE}`, {
              method: 'POST',
              headers: { ...headers, 'X-Amz-Invocation-Type': 'Event' },
              body: forgedFanout,
            }),
            await rawRequest(connectionUrl(fromLan, victimId), {
              method: 'POST',
              headers,
              body: 'injected',
            }),
            await rawRequest(`${fromLan}/local/@connections/${encodeURIComponent(victimId)}`, {
              headers,
            }),
            await rawRequest(connectionUrl(fromLan, victimId), { method: 'DELETE', headers }),
          ];
          for (const answer of answers) {
            expect(answer.status).toBe(403);
            expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
            expect(JSON.parse(answer.body).message).toContain(`Refused: a request from `);
            expect(JSON.parse(answer.body).message).toContain(lan);
          }
        }
        // From this machine, as the handler calls: served.
        const invoked = await signedFetch(`${emulator.httpUrl}${INVOKE}`, {
          method: 'POST',
          body: '{}',
        });
        expect(await invoked.json()).toBe('ran');
        const posted = await signedFetch(connectionUrl(emulator.httpUrl, victimId), {
          method: 'POST',
          body: 'signed',
        });
        expect(posted.status).toBe(200);
        expect(await victim.next()).toBe('signed');
        expect(victim.received).toEqual(['signed']);
        expect(victim.ws.readyState).toBe(victim.ws.OPEN);
        // The only invocations: the victim's `$connect` and this machine's own.
        expect(rec.calls.map((call) => call.event?.requestContext?.routeKey ?? 'direct')).toEqual([
          '$connect',
          'direct',
        ]);
        // The page and the WebSocket stay open to the LAN.
        expect((await rawRequest(`${fromLan}/config.json`)).status).toBe(200);
        const neighbour = await openClient(`ws://${lan}:${port}`);
        neighbour.close();
      },
    );

    it('bound to 0.0.0.0, runs the chat for this machine and the LAN alike: the handler replays and broadcasts through its own calls', async () => {
      const tableName = `chat-lan-${randomUUID().slice(0, 8)}`;
      const stack = await startLocalStack({
        host: '0.0.0.0',
        allowedHosts: [lan],
        port: 0,
        quiet: true,
        dynamoEndpoint: inject('dynamoEndpoint'),
        tableName,
        env: { AWS_LAMBDA_LOG_LEVEL: 'warn' },
      });
      onTestFinished(async () => {
        await stack.stop();
        await deleteTable(stack.dynamoEndpoint, tableName);
      });
      const port = new URL(stack.wsUrl).port;
      const here = await openClient(`${stack.wsUrl}/?room=lan&name=here`);
      const neighbour = await openClient(`ws://${lan}:${port}/?room=lan&name=neighbour`);
      neighbour.send(JSON.stringify({ action: 'sendmessage', message: 'hello from the LAN' }));
      for (const client of [here, neighbour]) {
        await vi.waitFor(
          () => {
            const types = framesOf(client).map((frame) => frame.type);
            expect(types).toContain('history');
            expect(framesOf(client)).toContainEqual(
              expect.objectContaining({ type: 'message', text: 'hello from the LAN' }),
            );
          },
          { timeout: 15_000 },
        );
      }
      here.close();
      neighbour.close();
    });

    it('bound to the LAN address itself, serves the calls this machine makes to it', async () => {
      const rec = recorder(ranUnlessRouted);
      const emulator = await startEmulator(rec.handler, { host: lan });
      expect(new URL(emulator.httpUrl).hostname).toBe(lan);
      const invoked = await signedFetch(`${emulator.httpUrl}${INVOKE}`, {
        method: 'POST',
        body: '{}',
      });
      expect(await invoked.json()).toBe('ran');
    });
  },
);
