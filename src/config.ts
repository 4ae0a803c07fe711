/** The function's configuration, from its environment (set by `infra/` on AWS, the emulator locally). */
export interface Config {
  tableName: string;
  /** Base URL of the `@connections` API: the stage's callback URL. */
  callbackUrl: string;
  /** This function's own name, for the replay self-invoke. Lambda sets it. */
  functionName: string;
  /** Posts in flight at once during a broadcast. */
  broadcastConcurrency: number;
}

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const concurrency = Number(env.BROADCAST_CONCURRENCY ?? 50);
  return {
    tableName: required('TABLE_NAME'),
    callbackUrl: required('CALLBACK_URL'),
    functionName: required('AWS_LAMBDA_FUNCTION_NAME'),
    broadcastConcurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 50,
  };
};
