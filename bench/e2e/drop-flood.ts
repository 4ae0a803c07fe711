import { setTimeout as sleep } from 'node:timers/promises';
import type { Crowd, CrowdParams } from './crowd.js';

/**
 * Gives `room` history for a connect-and-drop flood's replays to read (they ask for all of it,
 * `since=0`): `messages` sent one after another by the room's first member in `group`.
 */
export const seedHistory = (crowd: Crowd, group: string, room: string, messages: number) =>
  crowd.ask('fanout', { group, room, warmup: 0, messages, gapMs: 0, timeoutMs: 30_000 });

/**
 * Runs `measure` while a connect-and-drop flood (`flood`: clients that ask for the room's whole
 * history and hang up during `$connect`) runs, `leadMs` after it began; answers what `measure`
 * answered and what the flood did, once both have finished.
 */
export const duringDropFlood = async <T>(
  crowd: Crowd,
  flood: CrowdParams<'flood'>,
  measure: () => Promise<T>,
  leadMs = 1_000,
) => {
  const flooding = crowd.ask('flood', flood);
  try {
    // Let the flood get going before measuring beside it.
    await sleep(leadMs);
    const during = await measure();
    return { during, flood: await flooding };
  } finally {
    // A measurement that threw still waits for the flood: it is bounded by its duration.
    await flooding.catch(() => undefined);
  }
};
