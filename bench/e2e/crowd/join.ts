import { connect, groups, hangUp, type Member, membersOf, sleep } from './clients.js';

export interface JoinRequest {
  /** WebSocket base URL, e.g. `ws://127.0.0.1:3001`. */
  url: string;
  /** A name for these clients, to address them later. */
  group: string;
  rooms: { room: string; count: number }[];
  /** Members are named `<prefix>-<n>` (default: the room's name), so groups in one room differ. */
  prefix?: string;
  /** Connections opened at once, and the cap on new connections per second (API Gateway: 500). */
  batch: number;
  perSecond: number;
  /** Count a client as joined once its replay (`history` frame) arrived, not at `open`. */
  awaitReplay: boolean;
}

/**
 * Connects every room's members like clients arriving at a capped rate: at most `perSecond` new
 * connections a second and at most `batch` still joining at once.
 */
export const join = async (request: JoinRequest) => {
  const rooms = groups.get(request.group) ?? new Map<string, Member[]>();
  groups.set(request.group, rooms);
  const queue = request.rooms.flatMap(({ room, count }) =>
    Array.from({ length: count }, (_, i) => ({
      url: request.url,
      room,
      name: `${request.prefix ?? room}-${i}`,
    })),
  );
  const result = {
    connected: 0,
    failed: 0,
    seconds: 0,
    firstError: undefined as string | undefined,
  };
  const joined: (Member | undefined)[] = [];
  const joining = new Set<Promise<void>>();
  const started = performance.now();
  for (const [i, address] of queue.entries()) {
    const due = started + (i / request.perSecond) * 1000 - performance.now();
    if (due > 0) await sleep(due);
    while (joining.size >= request.batch) await Promise.race(joining);
    const task = connect(address, { awaitReplay: request.awaitReplay }).then(
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

/** Closes a group's clients, at most `perSecond` a second (unpaced without), and waits for each. */
export const close = async ({ group, perSecond }: { group: string; perSecond?: number }) => {
  const members = membersOf(group);
  const started = performance.now();
  const closing: Promise<void>[] = [];
  for (const [i, member] of members.entries()) {
    const due = started + (i / (perSecond ?? Number.POSITIVE_INFINITY)) * 1000 - performance.now();
    if (due > 0) await sleep(due);
    closing.push(hangUp(member));
  }
  await Promise.all(closing);
  groups.delete(group);
  return { closed: members.length, seconds: (performance.now() - started) / 1000 };
};
