import { describe, expect, it } from 'vitest';
import { openClient } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { handshakeStatus } from '../fixtures/handshake.js';
import { probePort } from '../fixtures/processes.js';
import { crossSite, rawRequest } from '../fixtures/raw-http.js';
import { recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const invokeUrl = (httpUrl: string) => `${httpUrl}/2015-03-31/functions/chat-local/invocations`;

/** The status of a WebSocket handshake sent with this Host header (101 when accepted). */
const upgradeStatus = (wsUrl: string, host: string) =>
  handshakeStatus(wsUrl, { headers: { Host: host.replace('PORT', new URL(wsUrl).port) } });

describe('what the emulator refuses from web pages', () => {
  it.runIf(process.platform === 'linux')(
    'listens on 127.0.0.1 only by default: 127.0.0.2 is refused',
    async () => {
      const emulator = await startEmulator(recorder().handler);
      const port = Number(new URL(emulator.httpUrl).port);
      expect(await probePort('127.0.0.1', port)).toBe('open');
      expect(await probePort('127.0.0.2', port)).toBe('ECONNREFUSED');
    },
  );

  it('refuses a cross-site text/plain POST to Invoke with 403 and invokes nothing', async () => {
    const rec = recorder(() => 'ran');
    const emulator = await startEmulator(rec.handler);
    const forged = await rawRequest(invokeUrl(emulator.httpUrl), {
      method: 'POST',
      headers: crossSite(),
      body: '{"requestContext":{"routeKey":"sendmessage"}}',
    });
    expect(forged.status).toBe(403);
    expect(forged.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(JSON.parse(forged.body).message).toContain('Origin: https://evil.example');
    const unsigned = await rawRequest(invokeUrl(emulator.httpUrl), { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(rec.calls).toEqual([]);
    const signed = await signedFetch(invokeUrl(emulator.httpUrl), { method: 'POST', body: '{}' });
    expect(await signed.json()).toBe('ran');
  });

  it("refuses a page's POST to @connections with 403 and delivers nothing", async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    const url = connectionUrl(
      emulator.httpUrl,
      rec.events('$connect')[0].requestContext.connectionId,
    );
    const forged = await rawRequest(url, {
      method: 'POST',
      headers: crossSite(),
      body: 'injected',
    });
    expect(forged.status).toBe(403);
    expect((await signedFetch(url, { method: 'POST', body: 'signed' })).status).toBe(200);
    expect(await client.next()).toBe('signed');
    expect(client.received).toEqual(['signed']);
  });

  it('refuses a foreign Host with 421 on requests and upgrades, and answers loopback names', async () => {
    const emulator = await startEmulator(recorder().handler);
    const port = new URL(emulator.httpUrl).port;
    const rebound = await rawRequest(`${emulator.httpUrl}/config.json`, {
      headers: { Host: `evil.example:${port}` },
    });
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain('Host "evil.example:');
    expect(rebound.body).toContain('--allow-host NAME');
    expect(await upgradeStatus(emulator.wsUrl, 'evil.example:PORT')).toBe(421);
    for (const host of ['127.0.0.1:PORT', 'localhost:PORT', '[::1]:PORT', 'LocalHost:PORT']) {
      const answer = await rawRequest(`${emulator.httpUrl}/config.json`, {
        headers: { Host: host.replace('PORT', port) },
      });
      expect([host, answer.status]).toEqual([host, 200]);
      expect([host, await upgradeStatus(emulator.wsUrl, host)]).toEqual([host, 101]);
    }
  });

  it('answers the hosts it is told to, and tells the handler the origins of its pages', async () => {
    let origins: string[] = [];
    const emulator = await startEmulator(recorder().handler, {
      allowedHosts: ['chat.test', 'laptop.lan:8080'],
      env: (site) => {
        origins = site.origins;
        return {};
      },
    });
    const port = new URL(emulator.httpUrl).port;
    for (const host of [`chat.test:${port}`, 'laptop.lan:8080']) {
      const answer = await rawRequest(`${emulator.httpUrl}/config.json`, {
        headers: { Host: host },
      });
      expect([host, answer.status]).toEqual([host, 200]);
    }
    const wrongPort = await rawRequest(`${emulator.httpUrl}/`, {
      headers: { Host: 'laptop.lan:9' },
    });
    expect(wrongPort.status).toBe(421);
    expect(origins).toEqual([
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
      `http://chat.test:${port}`,
      'http://laptop.lan:8080',
    ]);
  });
});
