import type { InvocationContext } from '../context.js';
import { postWithRetry, sendWithRetry } from '../outbound/post-with-retry.js';

/**
 * Tells a connection why it is being removed (an `error` frame: `kicked`, `banned`), then closes
 * it (`DELETE @connections`), as API Gateway lets the server do; its `$disconnect` follows and
 * removes it from the room. A connection gone already is not an error.
 */
export const tellAndClose = async (ctx: InvocationContext, connectionId: string, frame: string) => {
  const { api } = ctx.deps;
  const told = await postWithRetry(api, connectionId, frame);
  const closed =
    told.outcome === 'gone' ? told : await sendWithRetry(() => api.delete(connectionId));
  if (closed.outcome === 'failed') {
    ctx.log('warn', 'close_failed', { closing: connectionId, status: closed.status });
  }
  return closed.outcome;
};
