import { round, summarize } from '../stats.js';
import type { BurstScenario } from './burst.js';
import type { ContainerSnapshot } from './container.js';
import type { CrowdAnswer } from './crowd.js';

/** One scenario run against one target (`chat`, `seeds`, `floor`). */
export interface Measured {
  scenario: BurstScenario;
  target: string;
  result: CrowdAnswer<'burst'>;
  handler?: ContainerSnapshot | undefined;
}

const ms = (value: number | null) => (value === null ? 'never' : round(value, 0));

const codes = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ') || '-';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Runs grouped by scenario, in the order the scenarios ran; targets keep their order. */
const byScenario = (measured: Measured[]) => {
  const order = [...new Set(measured.map((run) => run.scenario.name))];
  const place = (run: Measured) => order.indexOf(run.scenario.name);
  return measured.toSorted((a, b) => place(a) - place(b));
};

/** The burst table: one row per scenario and target, the chat's row first. */
export const burstRows = (measured: Measured[]) =>
  byScenario(measured).map(({ scenario, target, result }) => {
    const chat = measured.find(
      (other) => other.target === 'chat' && other.scenario.name === scenario.name,
    )?.result;
    const times = (of: (run: CrowdAnswer<'burst'>) => number | null) => {
      const mine = of(result);
      const chats = chat && of(chat);
      return chats && mine !== null ? round(mine / chats, 2) : '-';
    };
    return {
      scenario: scenario.name,
      server: target,
      members: result.members,
      sent: result.messages,
      accepted: result.accepted,
      'all acked': ms(result.allAckedMs),
      'x chat': times((run) => run.allAckedMs),
      'sender ack p50': round(summarize(result.senderAckMs).p50, 0),
      'all stored': ms(result.storedMs),
      'last delivery': ms(result.deliveredMs),
      'x chat, last delivery': times((run) => run.deliveredMs),
      'errors 1st try': sum(result.firstTryErrors),
      errors: sum(result.errors),
      'errors by code': codes(result.errors),
      missing: result.missing,
    };
  });

/** DynamoDB calls per accepted message, in all and by operation (a column per operation seen). */
export const callRows = (measured: Measured[]) => {
  const withCalls = byScenario(measured).filter((run) => run.handler);
  const operations = [
    ...new Set(withCalls.flatMap((run) => Object.keys(run.handler?.commands.calls ?? {}))),
  ].sort();
  return withCalls.map(({ scenario, target, result, handler }) => {
    const calls = handler?.commands.calls ?? {};
    const per = (n: number) => round(n / Math.max(1, result.accepted), 2);
    return {
      scenario: scenario.name,
      server: target,
      accepted: result.accepted,
      'calls/msg': per(sum(calls)),
      ...Object.fromEntries(operations.map((op) => [op, per(calls[op] ?? 0)])),
      posts: per(handler?.posts ?? 0),
    };
  });
};
