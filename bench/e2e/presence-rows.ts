import { printTable, round } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import type { CrowdAnswer } from './crowd.js';
import type { PresenceScenario } from './presence.js';

/** One phase on one server: how long it took, what the handler did, what the residents got. */
export interface PhaseResult {
  seconds: number;
  handler: ContainerSnapshot;
  frames: CrowdAnswer<'takeCounts'>;
  answer: unknown;
}

type Phases = Record<string, PhaseResult>;

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** What a phase cost: posts, DynamoDB (items read, read and write units), invocation time. */
const costOf = ({ handler }: PhaseResult) => {
  const capacity = Object.entries(handler.capacity);
  return {
    posts: handler.posts,
    requests: sum(Object.values(handler.commands.calls)),
    itemsRead: sum(Object.values(handler.itemsRead)),
    readUnits: sum(capacity.filter(([op]) => READS.has(op)).map(([, units]) => units)),
    // DynamoDB Local reports 2 units per transaction whatever it holds: the meter's own count.
    writeUnits:
      sum(
        capacity
          .filter(([op]) => !READS.has(op) && op !== 'TransactWriteItems')
          .map(([, units]) => units),
      ) + handler.commands.transactWru,
    invocationMs: sum(Object.values(handler.durations).flat()),
  };
};

/** All frames the room's residents received in a phase, per resident. */
const framesPerResident = ({ frames }: PhaseResult) =>
  sum(Object.entries(frames.byType).flatMap(([type, n]) => (type === 'typing-self' ? [] : [n]))) /
  Math.max(1, frames.members);

/** A measure's value on each server, and after's as a fraction of before's. */
const row = (measure: string, before: number, after: number, digits = 1) => ({
  measure,
  before: round(before, digits),
  after: round(after, digits),
  'after/before': before === 0 ? '-' : round(after / before, 3),
});

/**
 * The table: per join and per leave, per typing burst, per `who`, each as before and after.
 * Rows are built from a phase's measure on both servers.
 */
export const presenceRows = (scenario: PresenceScenario, before: Phases, after: Phases) => {
  const rows: ReturnType<typeof row>[] = [];
  const both = (
    name: string,
    measure: string,
    value: (phase: PhaseResult) => number,
    digits?: number,
  ) => {
    const [b, a] = [before[name], after[name]];
    if (b && a) rows.push(row(measure, value(b), value(a), digits));
  };
  const { members, churn, churnPerSecond, typingSeconds, keysPerSecond, typists } = scenario;
  both('joins', `residents connected (of ${members})`, (p) => p.frames.members, 0);
  both('fill', `fill the room to ${members}: posts`, (p) => costOf(p).posts, 0);
  both('fill', 'fill: seconds', (p) => p.seconds);
  for (const [name, what] of [
    ['joins', 'join'],
    ['leaves', 'leave'],
  ] as const) {
    const per = (n: number) => n / churn;
    const label = `${what} (${churn} at ${churnPerSecond}/s)`;
    both(name, `${label}: posts per ${what}`, (p) => per(costOf(p).posts));
    both(name, `${label}: frames per resident, all ${churn}`, framesPerResident, 2);
    both(name, `${label}: items read per ${what}`, (p) => per(costOf(p).itemsRead));
    both(name, `${label}: read units per ${what}`, (p) => per(costOf(p).readUnits));
    both(name, `${label}: write units per ${what}`, (p) => per(costOf(p).writeUnits));
    both(name, `${label}: invocation ms per ${what} (waits included)`, (p) =>
      per(costOf(p).invocationMs),
    );
  }
  for (const [name, count] of [
    ['typing1', 1],
    ['typing5', typists],
  ] as const) {
    const label = `typing: ${count} x ${typingSeconds} s at ${keysPerSecond} keys/s`;
    const sent = (p: PhaseResult) => (p.answer as CrowdAnswer<'typing'>).sent;
    both(name, `${label}: frames sent`, sent, 0);
    both(name, `${label}: posts per burst`, (p) => costOf(p).posts, 0);
    both(name, `${label}: posts per typing frame`, (p) => costOf(p).posts / sent(p));
    both(name, `${label}: frames per resident`, framesPerResident, 2);
    both(name, `${label}: DynamoDB requests`, (p) => costOf(p).requests, 0);
    both(name, `${label}: write units`, (p) => costOf(p).writeUnits);
  }
  for (const [name, label] of [
    ['whoStale', 'who, count older than the interval'],
    ['whoFresh', 'who, right after'],
  ] as const) {
    both(name, `${label}: items read`, (p) => costOf(p).itemsRead, 0);
    both(name, `${label}: read units`, (p) => costOf(p).readUnits);
    both(name, `${label}: write units`, (p) => costOf(p).writeUnits);
    both(name, `${label}: count answered`, (p) => (p.answer as { count?: number })?.count ?? -1, 0);
  }
  const typingToTypist = (phases: Phases) =>
    sum(Object.values(phases).map((p) => p.frames.byType['typing-self'] ?? 0));
  rows.push(
    row(
      'typing frames that reached their typist (must be 0)',
      typingToTypist(before),
      typingToTypist(after),
      0,
    ),
  );
  return rows;
};

/** Prints the table and answers its rows. */
export const printPresence = (scenario: PresenceScenario, before: Phases, after: Phases) => {
  const rows = presenceRows(scenario, before, after);
  printTable(
    `Presence and typing in a ${scenario.members}-member room: before (no coalescing) and after (the defaults)`,
    rows,
  );
  return rows;
};
