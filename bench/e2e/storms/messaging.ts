/**
 * The storms of many members at once: a join storm, a send burst with listeners and a
 * reconnect, and a room whose every member sends at once. The rate limits are lifted (every crowd
 * client comes from 127.0.0.1); everything else is the app's defaults, presence notices included.
 */
import type { Crowd } from '../crowd.js';
import { LIFTED_LIMITS } from '../servers.js';
import { counts, gatewayErrors, ms, storm } from './scenario.js';

const OPEN_TIMEOUT_MS = 30_000;
/** client.html's first wait before it sends a refused message again (1, 2, 4, 8 s). */
const RETRY_MS = 1_000;
const lifted = async () => LIFTED_LIMITS;

/** Connects `count` members of `room` as `group`, 50 at a time, each once its replay arrived. */
const fill = (crowd: Crowd, url: string, group: string, room: string, count: number) =>
  crowd.ask('join', {
    url,
    group,
    rooms: [{ room, count }],
    batch: 50,
    perSecond: 500,
    awaitReplay: true,
  });

const joinSize = (quick: boolean) => ({ clients: quick ? 100 : 500, batch: 50, messages: 3 });

export const joinStorm = storm({
  title: (quick) => {
    const { clients, batch, messages } = joinSize(quick);
    return `Join storm: ${clients} clients join one room, ${batch} at a time (each batch once the last is open), then one more member sends ${messages} messages one after another`;
  },
  env: lifted,
  groups: ['join'],
  run: ({ crowd, stack, quick }) =>
    crowd.ask('joinStorm', {
      url: stack.wsUrl,
      room: 'storm-join',
      group: 'join',
      ...joinSize(quick),
      openTimeoutMs: OPEN_TIMEOUT_MS,
      ackTimeoutMs: 10_000,
      deadlineMs: quick ? 10_000 : 20_000,
    }),
  figures: (r) => ({
    'clients open': r.opened,
    'refused (by HTTP status)': counts(r.refused),
    'storm ms': ms(r.stormMs),
    ...('sender' in r
      ? { 'sender failed to connect': r.sender }
      : {
          'messages stored': r.stored,
          'deaf (open, got none)': r.deaf,
          'partly deaf (open, got some)': r.partlyDeaf,
          'missing deliveries': r.missing,
          'closed by the server (by code)': counts(r.closedBy),
          'ms until all open have all': ms(r.deliveredMs),
          'gateway error frames': gatewayErrors(r.errors),
          'error frames (by code)': counts(r.errors),
        }),
  }),
});

const burstSize = (quick: boolean) => ({
  senders: quick ? 5 : 10,
  messagesPerSender: quick ? 10 : 20,
  listeners: 5,
});

export const noLossBurst = storm({
  title: (quick) => {
    const { senders, messagesPerSender, listeners } = burstSize(quick);
    return `Send burst with listeners: ${senders} senders x ${messagesPerSender} messages, all at once; ${listeners} listeners, and one more that drops at half and resumes with since`;
  },
  env: lifted,
  groups: ['no-loss'],
  run: async ({ crowd, stack, quick }) => {
    const { senders, messagesPerSender, listeners } = burstSize(quick);
    const room = 'storm-burst';
    const joined = await fill(crowd, stack.wsUrl, 'no-loss', room, senders + listeners);
    const answer = await crowd.ask('noLoss', {
      url: stack.wsUrl,
      group: 'no-loss',
      room,
      senders,
      messagesPerSender,
      retryMs: RETRY_MS,
      timeoutMs: quick ? 30_000 : 60_000,
      drainMs: quick ? 15_000 : 30_000,
      openTimeoutMs: OPEN_TIMEOUT_MS,
    });
    return { joined: joined.connected, ...answer };
  },
  figures: (r) => ({
    'members joined': r.joined,
    'messages acked (of sent)': `${r.accepted}/${r.messages}`,
    'ms until all acked': ms(r.allAckedMs),
    'ms until every listener has all': ms(r.listenersMs),
    'duplicates (live, same socket)': r.duplicates,
    'replay duplicates (same socket)': r.replayDuplicates,
    'overlaps (live and replayed)': r.overlap,
    'missing (senders and listeners)': r.missing,
    'missing (listeners, resumer included)': r.listenersMissing,
    'gateway error frames': gatewayErrors(r.errors),
    'error frames (by code)': counts(r.errors),
    'resumer: distinct seqs at the end': `${r.resumer.distinct}/${r.resumer.of}`,
    'resumer: since / highest at the drop': r.resumer.droppedAt
      ? `${r.resumer.droppedAt.since} / ${r.resumer.droppedAt.highest}`
      : 'never dropped',
    ...(r.resumer.error ? { 'resumer: reconnect failed': r.resumer.error } : {}),
  }),
});

const everyoneSize = (quick: boolean) => (quick ? 30 : 100);

export const everyoneSends = storm({
  title: (quick) =>
    `Everyone sends: ${everyoneSize(quick)} members of one room each send one message at once`,
  env: lifted,
  groups: ['everyone'],
  run: async ({ crowd, stack, quick }) => {
    const members = everyoneSize(quick);
    const room = 'storm-everyone';
    const joined = await fill(crowd, stack.wsUrl, 'everyone', room, members);
    const answer = await crowd.ask('burst', {
      group: 'everyone',
      room,
      senders: members,
      messagesPerSender: 1,
      retryMs: RETRY_MS,
      timeoutMs: quick ? 30_000 : 60_000,
      drainMs: quick ? 15_000 : 30_000,
    });
    return { joined: joined.connected, ...answer };
  },
  figures: (r) => ({
    'members joined': r.joined,
    'messages acked (of sent)': `${r.accepted}/${r.messages}`,
    'ms until all acked': ms(r.allAckedMs),
    'ms until every member has all': r.missing === 0 ? ms(r.deliveredMs) : null,
    'gateway error frames, first try': gatewayErrors(r.firstTryErrors),
    'gateway error frames, retries included': gatewayErrors(r.errors),
    'error frames (by code)': counts(r.errors),
    'missing deliveries': r.missing,
  }),
});
