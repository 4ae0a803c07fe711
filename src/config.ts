import type { ConnectAuth } from './routes/connect-auth.js';

/** The function's configuration, from its environment (set by `infra/` on AWS, the emulator locally). */
export interface Config {
  tableName: string;
  /** Base URL of the `@connections` API: the stage's callback URL. */
  callbackUrl: string;
  /** This function's own name, for the replay self-invoke. Lambda sets it. */
  functionName: string;
  /** Posts in flight at once during a broadcast. */
  broadcastConcurrency: number;
  /** Per-connection message rate: sustained per second, and burst. */
  rateLimit: { perSecond: number; burst: number };
  /** Optional `$connect` gates: CONNECT_SECRET, CONNECT_JWT_SECRET, ALLOWED_ORIGINS. */
  auth: ConnectAuth;
}

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    tableName: required('TABLE_NAME'),
    callbackUrl: required('CALLBACK_URL'),
    functionName: required('AWS_LAMBDA_FUNCTION_NAME'),
    broadcastConcurrency: Math.floor(positive('BROADCAST_CONCURRENCY', 50)),
    rateLimit: {
      perSecond: positive('RATE_LIMIT_PER_SECOND', 5),
      burst: Math.floor(positive('RATE_LIMIT_BURST', 20)),
    },
    auth: {
      sharedSecret: env.CONNECT_SECRET || undefined,
      jwtSecret: env.CONNECT_JWT_SECRET || undefined,
      allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
  };
};
