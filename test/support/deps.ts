import { BATCH_WINDOW_MS, PRESENCE_DEFAULTS } from '../../src/config.js';
import type { Deps } from '../../src/deps.js';
import { createMetrics } from '../../src/metrics/recorder.js';

/**
 * The handler's dependencies for a test: the store and poster it names, the rest inert (no
 * replays or fan-out workers are invoked, logs go nowhere) unless it overrides them.
 */
export const testDeps = (overrides: Partial<Deps> & Pick<Deps, 'store' | 'api'>): Deps => ({
  // The metrics' lines go where the test's log lines go.
  metrics: createMetrics({ stage: 'test' }),
  invokeReplay: async () => undefined,
  invokeFanout: async () => {
    throw new Error('no fan-out workers here');
  },
  fanoutMembersPerWorker: undefined,
  batchWindowMs: BATCH_WINDOW_MS,
  broadcastConcurrency: 10,
  limits: { connection: { perSecond: 5, burst: 20 }, history: { perSecond: 10, burst: 300 } },
  presence: {
    noticesUpTo: PRESENCE_DEFAULTS.noticesUpTo,
    noticeRate: PRESENCE_DEFAULTS.noticeRate,
    occupancyIntervalMs: PRESENCE_DEFAULTS.occupancyIntervalMs,
    typingIntervalMs: PRESENCE_DEFAULTS.typingIntervalMs,
  },
  auth: {},
  now: Date.now,
  logTo: () => undefined,
  ...overrides,
});
