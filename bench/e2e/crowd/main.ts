/**
 * The crowd: a child process that holds the benchmark's WebSocket clients, so that receiving
 * thousands of frames does not share an event loop with the server being measured. It answers
 * requests from the bench over IPC (see protocol.ts).
 */
import { burst } from './burst.js';
import { strays } from './clients.js';
import { fanout } from './fanout.js';
import { flood } from './flood.js';
import { close, join } from './join.js';
import type { CrowdRequest, Envelope } from './protocol.js';
import { replay } from './replay.js';
import { throughput } from './throughput.js';

const handle = (request: CrowdRequest): Promise<unknown> => {
  switch (request.type) {
    case 'join':
      return join(request);
    case 'fanout':
      return fanout(request);
    case 'throughput':
      return throughput(request);
    case 'burst':
      return burst(request);
    case 'replay':
      return replay(request);
    case 'flood':
      return flood(request);
    case 'close':
      return close(request.group, request.perSecond);
    case 'strays': {
      const counts = { ...strays };
      for (const key of Object.keys(strays)) delete strays[key];
      return Promise.resolve(counts);
    }
  }
};

const answer = (envelope: Envelope) => process.send?.(envelope);

process.on('message', (envelope: Envelope) => {
  if (!('request' in envelope)) return;
  handle(envelope.request).then(
    (result) => answer({ id: envelope.id, ok: true, result }),
    (error: unknown) =>
      answer({ id: envelope.id, ok: false, error: (error as Error)?.stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
