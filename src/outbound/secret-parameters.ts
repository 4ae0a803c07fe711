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

/**
 * Secrets read once per container: SecureString parameters from SSM Parameter Store (decrypted),
 * cached once read; plain values as given. The SSM client is made on first use, so containers
 * that only carry messages never create it.
 */
export const createSecretSource = (
  settings: SecretSettings,
  options: { ssm?: () => SSMClient; now?: () => number } = {},
): SecretSource => {
  const { ssm = () => new SSMClient({}), now = Date.now } = options;
  const plain: ConnectSecrets = {
    ...(settings.sharedSecret ? { sharedSecret: settings.sharedSecret } : {}),
    ...(settings.jwtSecret ? { jwtSecret: settings.jwtSecret } : {}),
  };
  const parameters = Object.entries({
    sharedSecret: settings.sharedSecretParameter,
    jwtSecret: settings.jwtSecretParameter,
  }).filter((entry): entry is [keyof ConnectSecrets, string] => Boolean(entry[1]));
  if (parameters.length === 0) return () => Promise.resolve(plain);

  let client: SSMClient | undefined;
  let cached: ConnectSecrets | undefined;
  let reading: Promise<ConnectSecrets> | undefined;
  let failure: { at: number; error: SecretUnavailableError } | undefined;

  const read = async (): Promise<ConnectSecrets> => {
    client ??= ssm();
    const secrets: ConnectSecrets = { ...plain };
    for (const [key, name] of parameters) {
      const answer = await client
        .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
        .catch((error: unknown) => {
          const kind = error instanceof Error ? error.name : 'Error';
          throw new SecretUnavailableError(`cannot read SSM parameter ${name}: ${kind}`);
        });
      const value = answer.Parameter?.Value;
      if (!value) throw new SecretUnavailableError(`SSM parameter ${name} has no value`);
      secrets[key] = value;
    }
    return secrets;
  };

  return async () => {
    if (cached) return cached;
    if (failure && now() - failure.at < SECRET_RETRY_MS) throw failure.error;
    reading ??= read()
      .then((secrets) => {
        cached = secrets;
        failure = undefined;
        return secrets;
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
