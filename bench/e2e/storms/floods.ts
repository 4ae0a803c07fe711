/**
 * The storms of one source against a room: one connection's flood of sends (with the app's
 * default limits: the flooder is limited as a real user would be), and a connect-and-drop flood.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { round, summarize } from '../../stats.js';
import { duringDropFlood, seedHistory } from '../drop-flood.js';
import { LIFTED_LIMITS } from '../servers.js';
import { counts, gatewayErrors, ms, storm } from './scenario.js';

/** Another loopback address: a source network of its own to the chat, where the OS has it. */
const OTHER_SOURCE = '127.0.0.2';

let otherSource: Promise<string | undefined> | undefined;
/** The address the flood's victim connects from, if this machine can bind it. */
const victimSource = () => {
  otherSource ??= (async () => {
    const server = createServer();
    try {
      server.listen(0, OTHER_SOURCE);
      await once(server, 'listening');
      return OTHER_SOURCE;
    } catch {
      return undefined;
    } finally {
      server.close();
    }
  })();
  return otherSource;
};

const floodSize = (quick: boolean) => ({ frames: quick ? 100 : 300, calmSends: 3 });

export const sendFlood = storm({
  title: (quick) =>
    `Flood: one connection sends ${floodSize(quick).frames} messages at once; meanwhile another member (from ${OTHER_SOURCE}) sends one, timed until a third has it, beside its calm time (default limits)`,
  // The app's defaults; only where the victim cannot have a network of its own does the
  // network's frame limit go, or the flood would refuse the victim's send for the flooder's.
  env: async () => ((await victimSource()) ? {} : { SOURCE_RATE_PER_SECOND: '0' }),
  groups: ['flood'],
  run: async ({ crowd, stack, quick }) =>
    crowd.ask('floodStorm', {
      url: stack.wsUrl,
      room: 'storm-flood',
      group: 'flood',
      ...floodSize(quick),
      victimFrom: await victimSource(),
      retryMs: 1_000,
      deadlineMs: quick ? 15_000 : 30_000,
      quietMs: 5_000,
      openTimeoutMs: 30_000,
    }),
  figures: (r) => ({
    'victim connects from': r.victimFrom ?? '127.0.0.1 (network limit lifted)',
    'calm ms (median of 3)': ms(r.calmMedianMs),
    'ms under flood': ms(r.floodMs),
    'under flood / calm':
      r.floodMs !== null && r.calmMedianMs ? round(r.floodMs / r.calmMedianMs) : null,
    'victim: tries / error frames': `${r.victimTries} / ${counts(r.victimErrors)}`,
    'flooder: acks (of sent)': `${r.flooder.acks}/${r.flooder.sent}`,
    'flooder: frames unanswered at the end': r.flooder.unanswered,
    'flooder: rate_limited frames': r.flooder.errors?.rate_limited ?? 0,
    'flooder: gateway error frames': gatewayErrors(r.flooder.errors),
    'flooder: error frames (by code)': counts(r.flooder.errors),
    'flooder: closed by the server (code)': r.flooder.closeCode ?? 'no',
  }),
});

const dropSize = (quick: boolean) => ({
  perSecond: 20,
  durationMs: quick ? 2_000 : 5_000,
  history: quick ? 20 : 50,
  probes: quick ? 3 : 5,
});

export const dropFlood = storm({
  title: (quick) => {
    const { perSecond, durationMs, history } = dropSize(quick);
    return `Connect-and-drop flood: ${perSecond} a second for ${durationMs / 1000} s into a room (${history} messages of history) where one member sends to another, beside its calm time`;
  },
  env: async () => LIFTED_LIMITS,
  groups: ['drop'],
  run: async ({ crowd, stack, quick }) => {
    const { perSecond, durationMs, history, probes } = dropSize(quick);
    const group = 'drop';
    const room = 'storm-drop';
    const url = stack.wsUrl;
    await crowd.ask('join', {
      url,
      group,
      rooms: [{ room, count: 2 }],
      batch: 2,
      perSecond: 500,
      awaitReplay: true,
    });
    await seedHistory(crowd, group, room, history);
    const probe = { group, room, warmup: 1, messages: probes, gapMs: 100, timeoutMs: 10_000 };
    const calm = await crowd.ask('fanout', probe);
    const { during, flood } = await duringDropFlood(
      crowd,
      { url, room, perSecond, durationMs },
      () => crowd.ask('fanout', { ...probe, warmup: 0 }),
      quick ? 300 : 1_000,
    );
    return { calm, during, flood };
  },
  figures: ({ calm, during, flood }) => {
    // A probe that never arrived (within its timeout) is NaN: counted apart, not in the times.
    const before = summarize(calm.last.filter(Number.isFinite));
    const after = summarize(during.last.filter(Number.isFinite));
    const lost = [...calm.last, ...during.last].filter((t) => !Number.isFinite(t)).length;
    return {
      'drops: attempted / upgrade sent / refused': `${flood.attempted} / ${flood.opened} / ${flood.refused}`,
      'calm ms p50': before.p50,
      'ms under flood p50': after.p50,
      'ms under flood max': after.max,
      'under flood / calm (p50)': round(after.p50 / before.p50),
      'sends not delivered to all in 10 s': lost,
      'missing deliveries': calm.missing + during.missing,
    };
  },
});
