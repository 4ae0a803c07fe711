import { WebSocket } from 'ws';
import { groups, type Member, membersOf, onFrame, sleep } from './clients.js';
import type { CloseResult, JoinRequest, JoinResult } from './protocol.js';

const OPEN_TIMEOUT_MS = 60_000;

/** Opens one client; with `awaitReplay` it resolves once the first `history` frame arrived. */
export const connect = (url: string, room: string, name: string, awaitReplay: boolean) =>
  new Promise<Member>((resolve, reject) => {
    const ws = new WebSocket(`${url}/?room=${room}&name=${name}`, { perMessageDeflate: false });
    const member: Member = { ws, room, got: new Set() };
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no answer within ${OPEN_TIMEOUT_MS} ms`));
    }, OPEN_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve(member);
    };
    ws.on('message', (data) => onFrame(member, String(data)));
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (awaitReplay) {
      member.onHistory = () => {
        member.onHistory = undefined;
        done();
      };
    } else {
      ws.once('open', done);
    }
  });

/**
 * Connects every room's members like clients arriving at a capped rate: at most `perSecond` new
 * connections a second (API Gateway's default is 500) and at most `batch` still joining at once.
 */
export const join = async (request: JoinRequest): Promise<JoinResult> => {
  const rooms = groups.get(request.group) ?? new Map<string, Member[]>();
  groups.set(request.group, rooms);
  const queue = request.rooms.flatMap(({ room, count }) =>
    Array.from({ length: count }, (_, i) => ({ room, name: `${room}-${i}` })),
  );
  const result: JoinResult = { connected: 0, failed: 0, seconds: 0 };
  const joined: (Member | undefined)[] = [];
  const joining = new Set<Promise<void>>();
  const started = performance.now();
  for (const [i, { room, name }] of queue.entries()) {
    const due = started + (i / request.perSecond) * 1000 - performance.now();
    if (due > 0) await sleep(due);
    while (joining.size >= request.batch) await Promise.race(joining);
    const task = connect(request.url, room, name, request.awaitReplay).then(
      (member) => {
        joined[i] = member;
        result.connected++;
      },
      (error: unknown) => {
        result.failed++;
        result.firstError ??= String(error);
      },
    );
    joining.add(task);
    void task.finally(() => joining.delete(task));
  }
  await Promise.all(joining);
  // In queue order, so a room's first member (its sender) is the first one asked for.
  for (const member of joined) {
    if (!member) continue;
    const list = rooms.get(member.room) ?? [];
    if (list.length === 0) rooms.set(member.room, list);
    list.push(member);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
};

/** Closes a group's clients (normal closure), at most `perSecond` a second, and waits for each. */
export const close = async (
  group: string,
  perSecond = Number.POSITIVE_INFINITY,
): Promise<CloseResult> => {
  const members = membersOf(group);
  const started = performance.now();
  const closing: Promise<void>[] = [];
  for (const [i, member] of members.entries()) {
    const due = started + (i / perSecond) * 1000 - performance.now();
    if (due > 0) await sleep(due);
    closing.push(
      new Promise<void>((resolve) => {
        if (member.ws.readyState === WebSocket.CLOSED) return resolve();
        member.ws.once('close', () => resolve());
        member.ws.close(1000);
        setTimeout(() => member.ws.terminate(), 10_000).unref();
      }),
    );
  }
  await Promise.all(closing);
  groups.delete(group);
  return { closed: members.length, seconds: (performance.now() - started) / 1000 };
};
