import type { Store } from '../../src/store/index.js';
import type { SoakClient } from './soak-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every seq of each room resolved, every accepted id stored once, every view equal to the log. */
export const verify = async (
  store: Store,
  clients: SoakClient[],
  accepted: Map<string, string>,
  rooms: number,
) => {
  const problems: string[] = [];
  let skippedSeqs = 0;
  for (let r = 0; r < rooms; r++) {
    const room = `soak-${r}`;
    const { messages, skipped } = await store.readAfter(room, 0, 1_000_000);
    skippedSeqs += skipped.length;
    const resolved = new Set([...messages.map((m) => m.seq), ...skipped]);
    for (let seq = 1; seq <= (await store.lastSeq(room)); seq++) {
      if (!resolved.has(seq)) problems.push(`${room}: seq ${seq} is neither a message nor skipped`);
    }
    const ids = messages.map((m) => m.id);
    if (new Set(ids).size !== ids.length) problems.push(`${room}: an id is stored twice`);
    for (const [id, inRoom] of accepted) {
      if (inRoom === room && !ids.includes(id))
        problems.push(`${room}: accepted id ${id} is not stored`);
    }
    const expected = JSON.stringify(messages.map((m) => [m.seq, m.id, m.text]));
    for (const client of clients.filter((c) => c.room === room)) {
      const view = [...client.view.entries()]
        .sort(([a], [b]) => a - b)
        .map(([seq, m]) => [seq, m.id, m.text]);
      if (JSON.stringify(view) !== expected) {
        problems.push(
          `${client.name} in ${room}: sees ${view.length} messages, the log has ${messages.length}`,
        );
      }
    }
  }
  return { problems, skippedSeqs };
};

/** After every client has gone, no membership may be left behind (so no connection either). */
export const leftoverMembers = async (store: Store, rooms: number) => {
  const problems: string[] = [];
  // Every close's `$disconnect` is in flight now: give them a bounded while to finish.
  const deadline = Date.now() + 15_000;
  for (let r = 0; r < rooms; r++) {
    let left: string[] = [];
    do {
      left = [];
      for await (const page of store.listMembers(`soak-${r}`))
        left.push(...page.map((m) => m.connectionId));
      if (left.length > 0) await sleep(200);
    } while (left.length > 0 && Date.now() < deadline);
    if (left.length > 0) {
      problems.push(
        `soak-${r}: ${left.length} connections left after every client closed: ${left.join(' ')}`,
      );
    }
  }
  return problems;
};
