/**
 * The picture of the local dashboard in docs/operations.md#dashboard:
 * `npx tsx scripts/dashboard-screenshot.ts [out.png]` starts the local stack (DynamoDB Local and
 * the real handler), chats for a while with a few WebSocket clients in two rooms (messages, history
 * reads, a few refused frames), and saves a screenshot of `/dashboard` from Debian's Chromium
 * (CHROMIUM_PATH overrides) to docs/dashboard.png.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { startLocalStack } from '../local/stack.js';

const OUT = process.argv[2] ?? 'docs/dashboard.png';
const TRAFFIC_MS = 40_000;
const ROOMS = { general: ['alice', 'bob', 'carol', 'dan'], random: ['erin', 'frank'] };

const connect = (url: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

/** Each client sends now and then until `until`; some frames are refused on purpose. */
const chat = async (ws: WebSocket, name: string, until: number) => {
  for (let n = 1; Date.now() < until; n++) {
    const frame =
      n % 17 === 0
        ? { action: 'sendmessage' }
        : n % 11 === 0
          ? { action: 'history', limit: 20 }
          : n % 23 === 0
            ? { action: 'shout', message: 'hi' }
            : { action: 'sendmessage', message: `${name} says ${n}`, id: randomUUID() };
    ws.send(JSON.stringify(frame));
    await sleep(250 + Math.random() * 500);
  }
};

const stack = await startLocalStack({ port: 0, quiet: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const clients = await Promise.all(
    Object.entries(ROOMS).flatMap(([room, names]) =>
      names.map(async (name) => ({
        name,
        ws: await connect(`${stack.wsUrl}/?room=${room}&name=${name}`),
      })),
    ),
  );
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  await page.goto(`${stack.httpUrl}/dashboard`);
  await page.selectOption('#range', '60');
  const until = Date.now() + TRAFFIC_MS;
  await Promise.all(clients.map(({ ws, name }) => chat(ws, name, until)));
  // Let the last invocations finish and the page poll once more.
  await sleep(4_000);
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`Saved ${OUT}`);
  for (const { ws } of clients) ws.close();
} finally {
  await browser.close();
  await stack.stop();
}
