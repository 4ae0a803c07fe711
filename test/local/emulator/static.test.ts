import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';

/** A page file (absent without `html`) in a directory of its own, beside another file. */
const clientPage = async (html?: string) => {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-client-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'package.json'), '{}');
  if (html !== undefined) await writeFile(join(dir, 'client.html'), html);
  return join(dir, 'client.html');
};

describe('browser client files', () => {
  it('serves config.json pointing at its own WebSocket URL', async () => {
    const emulator = await startEmulator(recorder().handler, { clientPage: await clientPage() });
    const answer = await fetch(`${emulator.httpUrl}/config.json`);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await answer.json()).toEqual({ webSocketUrl: emulator.wsUrl });
  });

  it('serves client.html at / and at /client.html', async () => {
    const html = '<!doctype html><title>chat</title>';
    const emulator = await startEmulator(recorder().handler, {
      clientPage: await clientPage(html),
    });
    for (const path of ['/', '/client.html']) {
      const answer = await fetch(`${emulator.httpUrl}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await answer.text()).toBe(html);
    }
  });

  it('explains a missing client.html with a 404 that points at wscat', async () => {
    const emulator = await startEmulator(recorder().handler, { clientPage: await clientPage() });
    const answer = await fetch(`${emulator.httpUrl}/`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain(`npx wscat -c "${emulator.wsUrl}/?room=general`);
  });

  it('answers 404 for any other path', async () => {
    const emulator = await startEmulator(recorder().handler, { clientPage: await clientPage('x') });
    expect((await fetch(`${emulator.httpUrl}/../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${emulator.httpUrl}/package.json`)).status).toBe(404);
  });
});
