import { dropFlood, sendFlood } from './floods.js';
import { everyoneSends, joinStorm, noLossBurst } from './messaging.js';

/** Every storm by the name `--only` takes, in the order they run. */
export const STORMS = {
  join: joinStorm,
  burst: noLossBurst,
  flood: sendFlood,
  drop: dropFlood,
  everyone: everyoneSends,
};

export type StormName = keyof typeof STORMS;

export const STORM_NAMES = Object.keys(STORMS) as StormName[];

/** The runtimes compared: the emulator's default (what `npm start` runs) first. */
export const RUNTIMES = ['containers', 'in-process'] as const;

export type StormRuntime = (typeof RUNTIMES)[number];
