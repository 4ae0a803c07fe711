import type { BenchContainer, ContainerSnapshot } from './container.js';
import type { Probe } from './crowd/fanout.js';
import type { Crowd, CrowdAnswer, CrowdParams } from './crowd.js';

/** A server the fan-out is measured on: where its clients connect, how they join, its meters. */
export interface FanoutTarget {
  name: 'chat' | 'seeds' | 'floor';
  wsUrl: string;
  join: Pick<CrowdParams<'join'>, 'batch' | 'perSecond' | 'awaitReplay'>;
  /** Leaving pace, connections a second; unpaced when absent. */
  closePerSecond?: number;
  container?: BenchContainer;
}

export type { Probe };

/** One room size measured on one target. */
export interface SizeResult {
  size: number;
  result: CrowdAnswer<'fanout'>;
  handler?: ContainerSnapshot | undefined;
  connected: number;
  connectSeconds: number;
}

/**
 * One room of `size` connected alone on `target` (nothing else in its table), warm-up messages
 * (unmeasured, unmetered), then the measured sends one after another; then the room leaves.
 */
export const measureSize = async (
  crowd: Crowd,
  target: FanoutTarget,
  size: number,
  probe: Probe,
): Promise<SizeResult> => {
  const group = `${target.name}-${size}`;
  const room = `fan-${size}`;
  const joined = await crowd.ask('join', {
    url: target.wsUrl,
    group,
    rooms: [{ room, count: size }],
    ...target.join,
  });
  if (joined.connected < size) {
    console.warn(
      `\n!!! ${group}: only ${joined.connected} of ${size} clients connected (${joined.firstError})\n`,
    );
  }
  await target.container?.idle();
  await crowd.ask('fanout', { group, room, ...probe, warmup: 0, messages: probe.warmup });
  await target.container?.idle();
  target.container?.reset();
  const result = await crowd.ask('fanout', { group, room, ...probe, warmup: 0 });
  await target.container?.idle(50);
  const handler = target.container?.snapshot();
  await crowd.ask('close', {
    group,
    ...(target.closePerSecond === undefined ? {} : { perSecond: target.closePerSecond }),
  });
  await target.container?.idle();
  return { size, result, handler, connected: joined.connected, connectSeconds: joined.seconds };
};
