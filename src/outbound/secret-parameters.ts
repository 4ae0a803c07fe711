import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** The `$connect` secrets; absent ones are off. */
export interface ConnectSecrets {
  sharedSecret?: string;
  jwtSecret?: string;
}

/** Where each secret comes from: a plain value (local use) or an SSM parameter's name. */
export interface SecretSettings {
  sharedSecret?: string | undefined;
  jwtSecret?: string | undefined;
  sharedSecretParameter?: string | undefined;
  jwtSecretParameter?: string | undefined;
}

/**
 * Where the pepper comes from: the secret key of the store's fingerprints (and, later, of identity
 * keys), as a plain value (local use) or an SSM parameter's name. Neither: the store keeps one.
 */
export interface PepperSettings {
  pepper?: string | undefined;
  pepperParameter?: string | undefined;
}

/**
 * After a failed read, `$connect` is refused without asking SSM again for this long, so a broken
 * parameter costs one `GetParameter` per container per interval, not one per connect attempt.
 */
export const SECRET_RETRY_MS = 5_000;

/** A configured secret could not be read: connections must be refused, never let in open. */
export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

/** Resolves the secrets; rejects with `SecretUnavailableError` while a parameter cannot be read. */
export type SecretSource = () => Promise<ConnectSecrets>;

/** Resolves the configured pepper, or undefined when none is; rejects like a `SecretSource`. */
export type PepperSource = () => Promise<string | undefined>;

interface ReadOptions {
  ssm?: () => SSMClient;
  now?: () => number;
}

/**
 * Secrets read once per container: SecureString parameters from SSM Parameter Store (decrypted),
 * cached once read; plain values as given. The SSM client is made on first use, so containers
 * that only carry messages never create it.
 */
export const createSecretSource = (
  settings: SecretSettings,
  options: ReadOptions = {},
): SecretSource => {
  const plain: ConnectSecrets = {
    ...(settings.sharedSecret ? { sharedSecret: settings.sharedSecret } : {}),
    ...(settings.jwtSecret ? { jwtSecret: settings.jwtSecret } : {}),
  };
  const parameters = Object.entries({
    sharedSecret: settings.sharedSecretParameter,
    jwtSecret: settings.jwtSecretParameter,
  }).filter((entry): entry is [keyof ConnectSecrets, string] => Boolean(entry[1]));
  if (parameters.length === 0) return () => Promise.resolve(plain);
  const reader = parameterReader(options);
  return cachedOnce(async () => {
    const secrets: ConnectSecrets = { ...plain };
    for (const [key, name] of parameters) secrets[key] = await reader(name);
    return secrets;
  }, options.now);
};

/**
 * The pepper, read like the `$connect` secrets: its plain value as given, or its SecureString
 * parameter once per container (a failed read asked again only after `SECRET_RETRY_MS`).
 */
export const createPepperSource = (
  settings: PepperSettings,
  options: ReadOptions = {},
): PepperSource => {
  const { pepper, pepperParameter } = settings;
  if (!pepperParameter) return () => Promise.resolve(pepper || undefined);
  const reader = parameterReader(options);
  return cachedOnce(() => reader(pepperParameter), options.now);
};

/** Reads one SecureString parameter's value, decrypted; the client is made on first use. */
const parameterReader = ({ ssm = () => new SSMClient({}) }: ReadOptions) => {
  let client: SSMClient | undefined;
  return async (name: string) => {
    client ??= ssm();
    const answer = await client
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .catch((error: unknown) => {
        const kind = error instanceof Error ? error.name : 'Error';
        throw new SecretUnavailableError(`cannot read SSM parameter ${name}: ${kind}`);
      });
    const value = answer.Parameter?.Value;
    if (!value) throw new SecretUnavailableError(`SSM parameter ${name} has no value`);
    return value;
  };
};

/**
 * Runs `read` once and keeps what it answers; concurrent callers share one read, and a failure is
 * answered again without reading for `SECRET_RETRY_MS`.
 */
const cachedOnce = <T>(read: () => Promise<T>, now: () => number = Date.now) => {
  let cached: { value: T } | undefined;
  let reading: Promise<T> | undefined;
  let failure: { at: number; error: SecretUnavailableError } | undefined;
  return async (): Promise<T> => {
    if (cached) return cached.value;
    if (failure && now() - failure.at < SECRET_RETRY_MS) throw failure.error;
    reading ??= read()
      .then((value) => {
        cached = { value };
        failure = undefined;
        return value;
      })
      .catch((error: unknown) => {
        failure = {
          at: now(),
          error:
            error instanceof SecretUnavailableError
              ? error
              : new SecretUnavailableError(`cannot read the secrets: ${(error as Error)?.name}`),
        };
        throw failure.error;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
};
