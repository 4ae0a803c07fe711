import type { SecretSettings } from './gateway/secret-parameters.js';

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
  /** Optional `$connect` gates (README, Security). */
  auth: AuthConfig;
}

/** Where the `$connect` secrets come from, what a JWT must carry, and which origins may connect. */
export interface AuthConfig extends SecretSettings {
  jwtAudience: string | undefined;
  jwtIssuer: string | undefined;
  allowedOrigins: string[];
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
    auth: readAuthConfig(env),
  };
};

/**
 * CONNECT_SECRET / CONNECT_JWT_SECRET hold a secret's value (for local use);
 * CONNECT_SECRET_PARAMETER / CONNECT_JWT_SECRET_PARAMETER the name of an SSM SecureString
 * parameter holding it. Setting both for one secret is an error: which should win is a guess.
 */
export const readAuthConfig = (env: NodeJS.ProcessEnv): AuthConfig => {
  const secret = (value: string, parameter: string) => {
    if (env[value] && env[parameter]) throw new Error(`set ${value} or ${parameter}, not both`);
    return [env[value] || undefined, env[parameter] || undefined] as const;
  };
  const [sharedSecret, sharedSecretParameter] = secret(
    'CONNECT_SECRET',
    'CONNECT_SECRET_PARAMETER',
  );
  const [jwtSecret, jwtSecretParameter] = secret(
    'CONNECT_JWT_SECRET',
    'CONNECT_JWT_SECRET_PARAMETER',
  );
  return {
    sharedSecret,
    sharedSecretParameter,
    jwtSecret,
    jwtSecretParameter,
    jwtAudience: env.CONNECT_JWT_AUDIENCE || undefined,
    jwtIssuer: env.CONNECT_JWT_ISSUER || undefined,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
};
