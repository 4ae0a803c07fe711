/**
 * The crowd: a child process that holds the benchmark's WebSocket clients, so that receiving
 * thousands of frames does not share an event loop with the server being measured. It answers
 * the bench's requests (bench/e2e/crowd.ts) over IPC: one function per kind of request.
 */
import type { Envelope } from '../crowd.js';
import { burst } from './burst.js';
import { takeStrays } from './clients.js';
import { fanout } from './fanout.js';
import { flood } from './flood.js';
import { close, join } from './join.js';
import { paced } from './paced.js';
import { takeCounts, typing, who } from './presence.js';
import { replay } from './replay.js';
import { noLoss } from './storm-burst.js';
import { floodStorm } from './storm-flood.js';
import { joinStorm } from './storm-join.js';
import { throughput } from './throughput.js';

export const requests = {
  join,
  close,
  fanout,
  throughput,
  burst,
  paced,
  replay,
  flood,
  takeStrays,
  takeCounts,
  typing,
  who,
  joinStorm,
  noLoss,
  floodStorm,
};

const answer = (envelope: Envelope) => process.send?.(envelope);

process.on('message', (envelope: Envelope) => {
  if (!('kind' in envelope)) return;
  const run = requests[envelope.kind] as (params: unknown) => unknown;
  Promise.resolve()
    .then(() => run(envelope.params))
    .then(
      (result) => answer({ id: envelope.id, ok: true, result }),
      (error: unknown) =>
        answer({ id: envelope.id, ok: false, error: (error as Error)?.stack ?? String(error) }),
    );
});
process.on('disconnect', () => process.exit(0));
