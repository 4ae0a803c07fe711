import { type BurstRequest, burst } from './burst.js';
import { connect, drain, type Frame, groups, hangUp, type Member, membersOf } from './clients.js';
import { createLedger, type Ledger } from './ledger.js';

export interface NoLossRequest extends BurstRequest {
  url: string;
  /** How long the resumer's handshake may take. */
  openTimeoutMs: number;
}

/** Feeds a member's deliveries (by seq) into a ledger, timed on this process's clock. */
const tapInto = (ledger: Ledger, then?: () => void) => (message: Frame, how: 'live' | 'replay') => {
  if (typeof message.seq !== 'number') return;
  ledger.add(message.seq, how, performance.now());
  then?.();
};

/**
 * A burst with listeners and a reconnect (the "no-loss" check). The group's room is
 * joined already: its first `senders` members fire `messagesPerSender` each at once (the `burst`
 * request: acknowledgements, retries of refused sends as client.html does them); the rest listen.
 * One more listener, the resumer, hangs up once it has about half of the messages and reconnects
 * with `since` = the last seq up to which it has everything (what client.html resumes after; the
 * highest seq it had is answered beside it). Answers the burst's own figures and, per the
 * ledger's definitions (ledger.ts), duplicates and overlaps over every socket, the ms until every
 * listener (the resumer included) had every message, and the resumer's count.
 */
export const noLoss = async (request: NoLossRequest) => {
  const { url, room, group } = request;
  const total = request.senders * request.messagesPerSender;
  const members = membersOf(group, room);
  const ledgers = new Map<Member, Ledger>();
  for (const member of members) {
    const ledger = createLedger();
    ledgers.set(member, ledger);
    member.tap = tapInto(ledger);
  }
  const resumer = createLedger();
  const resume = {
    droppedAt: null as null | { distinct: number; highest: number; since: number },
    error: undefined as string | undefined,
    member: undefined as Member | undefined,
  };
  const drop = async (old: Member) => {
    const since = resumer.contiguous;
    resume.droppedAt = { distinct: resumer.distinct, highest: resumer.highest, since };
    await hangUp(old);
    resumer.socket();
    resume.member = await connect(
      { url, room, name: 'resumer', since },
      { timeoutMs: request.openTimeoutMs, tap: tapInto(resumer) },
    ).catch((error: unknown) => {
      resume.error = String(error);
      return undefined;
    });
  };
  let dropping: Promise<void> | undefined;
  const first = await connect(
    { url, room, name: 'resumer' },
    { awaitReplay: true, timeoutMs: request.openTimeoutMs },
  );
  first.tap = tapInto(resumer, () => {
    if (!dropping && resumer.distinct >= Math.ceil(total / 2)) dropping = drop(first);
  });
  resume.member = first;

  const released = performance.now();
  const result = await burst(request);
  const listeners = [...members.slice(request.senders).map((m) => ledgers.get(m)), resumer];
  const short = () =>
    listeners.reduce((sum, ledger) => sum + Math.max(0, total - (ledger?.distinct ?? 0)), 0);
  await dropping;
  await drain(short, request.drainMs);
  if (resume.member) groups.get(group)?.get(room)?.push(resume.member);

  const all = [...ledgers.values(), resumer];
  const sum = (pick: (ledger: Ledger) => number) => all.reduce((n, l) => n + pick(l), 0);
  const reached = listeners.map((ledger) => (ledger?.reachedAt(total) ?? Number.NaN) - released);
  return {
    ...result,
    listeners: listeners.length,
    listenersMs: reached.some(Number.isNaN) ? null : Math.max(...reached),
    /** Listener deliveries (of `total`) still missing at the end, the resumer's included. */
    listenersMissing: short(),
    duplicates: sum((l) => l.duplicates),
    replayDuplicates: sum((l) => l.replayDuplicates),
    overlap: sum((l) => l.overlap),
    resumer: {
      droppedAt: resume.droppedAt,
      distinct: resumer.distinct,
      of: total,
      error: resume.error,
    },
  };
};
