import { printTable, round, summarize } from '../stats.js';
import { measureRooms, type OnBenchStack } from './servers.js';

interface Scenario {
  name: string;
  group: string;
  rooms: number;
  members: number;
  sendersPerRoom: number;
}

/** CI's quick run only checks that each shape works: 10 rooms of 20, not 50 (1,000 clients). */
const scenarios = (quick: boolean): Scenario[] => [
  { name: '1 room x 100, 10 senders', group: 'busy', rooms: 1, members: 100, sendersPerRoom: 10 },
  {
    name: `${quick ? 10 : 50} rooms x 20, 1 sender each`,
    group: 'many',
    rooms: quick ? 10 : 50,
    members: 20,
    sendersPerRoom: 1,
  },
];

/**
 * Sustained load: every sender sends its next message as soon as its previous one came back,
 * for a fixed time; then every member must hold every accepted message.
 */
export const benchThroughput = async ({ quick, container, crowd, target }: OnBenchStack) => {
  const durationMs = quick ? 2_000 : 10_000;
  const rows = [];
  for (const scenario of scenarios(quick)) {
    const rooms = Array.from({ length: scenario.rooms }, (_, i) => ({
      room: `${scenario.group}-${i}`,
      count: scenario.members,
    }));
    const { result, handler = container.snapshot() } = await measureRooms(
      crowd,
      target,
      { group: scenario.group, rooms },
      () =>
        crowd.ask('throughput', {
          group: scenario.group,
          sendersPerRoom: scenario.sendersPerRoom,
          durationMs,
          drainMs: 30_000,
        }),
    );
    const complete = result.deliveredFrames === result.expectedFrames && result.failed === 0;
    if (!complete) {
      console.warn(
        `\n!!! THROUGHPUT "${scenario.name}": ${result.expectedFrames - result.deliveredFrames} ` +
          `of ${result.expectedFrames} frames never arrived, ${result.failed} sends failed ` +
          `${JSON.stringify(result.errors)}\n`,
      );
    }
    const ack = summarize(result.ackMs);
    const transactions = handler.commands.calls.TransactWriteItems ?? 0;
    rows.push({
      scenario: scenario.name,
      senders: result.senders,
      seconds: round(result.sendSeconds, 1),
      accepted: result.accepted,
      'msgs/s': round(result.accepted / result.sendSeconds, 0),
      'deliveries/s': round(result.deliveredFrames / result.totalSeconds, 0),
      'all delivered': complete ? 'yes' : 'NO',
      'ack p50 ms': ack.p50,
      'ack p99 ms': ack.p99,
      'handler p50 ms': summarize(handler.durations.sendmessage ?? []).p50,
      'appends tried/msg': round(transactions / Math.max(1, result.accepted), 2),
      failed: result.failed,
    });
  }
  printTable(
    `Throughput: closed loop for ${durationMs / 1000} s, each sender waits for its own echo`,
    rows,
  );
  return rows;
};
