import { chatStackName } from '../../infra/names.js';

/**
 * The WebSocket URL in the outputs file `npm run deploy` wrote (which holds the stack it last
 * deployed): that of `stage` when given, else the only one there.
 */
export const deployedWebSocketUrl = (
  outputs: unknown,
  stage: string | undefined,
): { url: string } | { error: string } => {
  const found = Object.entries((outputs ?? {}) as Record<string, Record<string, unknown>>)
    .filter(([, values]) => typeof values?.WebSocketUrl === 'string')
    .map(([stack, values]) => ({ stack, url: values.WebSocketUrl as string }));
  const names = found.map(({ stack }) => stack).join(', ') || 'none';
  if (stage !== undefined) {
    const match = found.find(({ stack }) => stack === chatStackName(stage));
    if (match) return { url: match.url };
    return {
      error: `the last deploy wrote no WebSocketUrl for ${chatStackName(stage)} (it has: ${names})`,
    };
  }
  const [only, ...more] = found;
  if (only && more.length === 0) return { url: only.url };
  if (!only) return { error: 'the last deploy wrote no WebSocketUrl' };
  return { error: `the last deploy wrote several WebSocket URLs (${names}): set CHAT_STAGE` };
};
