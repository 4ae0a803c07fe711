import { afterEach } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { useBrowser } from './browser.js';
import { waitLive } from './page-model.js';

/**
 * The chat server and the browser a client test file opens its pages in, with this environment
 * (and the server's options, such as a review function).
 */
export const useChatPages = (
  env: Record<string, string> = {},
  options: Parameters<typeof useChatServer>[1] = {},
) => ({
  server: useChatServer(env, options),
  browser: useBrowser(),
});

/**
 * For the servers a test puts between a page and the chat (relays, flaky networks, recorders):
 * the returned function hands a started server back and stops it after the test.
 */
export const stopAfterEach = () => {
  const started: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });
  return <T extends { stop(): Promise<void> }>(server: T): T => {
    started.push(server);
    return server;
  };
};

/**
 * A listener whose WebSocket goes to `listenerUrl` (something in front of the chat) and a sender
 * on a direct line, both live in `room`.
 */
export const listenerAndSender = async (
  browser: ReturnType<typeof useBrowser>,
  server: ReturnType<typeof useChatServer>,
  room: string,
  listenerUrl: string,
) => {
  const listener = await browser.open(server.pageUrl({ room, name: 'listener' }), {
    webSocketUrl: listenerUrl,
  });
  const sender = await browser.open(server.pageUrl({ room, name: 'sender' }));
  await Promise.all([waitLive(listener.page), waitLive(sender.page)]);
  return { listener: listener.page, sender: sender.page, watch: listener.watch };
};
