import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Credentials are asked for again this long before they expire: the SDK's own refresh window,
 * so a memoized SDK provider hands over new ones by then.
 */
export const CREDENTIALS_REFRESH_MS = 5 * 60_000;

/**
 * Credentials resolved once and kept until `CREDENTIALS_REFRESH_MS` before their `expiration`
 * (credentials without one are kept for the container's life, as Lambda's environment
 * credentials are). Concurrent callers share one resolution; a failed one is not kept, and while
 * the old credentials have not expired yet they are used until a refresh succeeds.
 */
export const cachedCredentials = (
  provider: AwsCredentialIdentityProvider,
  now: () => number = Date.now,
) => {
  let current: AwsCredentialIdentity | undefined;
  let resolving: Promise<AwsCredentialIdentity> | undefined;
  const fresh = () =>
    current &&
    (current.expiration === undefined ||
      current.expiration.getTime() - CREDENTIALS_REFRESH_MS > now())
      ? current
      : undefined;
  const resolve = () => {
    resolving ??= provider()
      .then(
        (credentials) => {
          current = credentials;
          return credentials;
        },
        (error: unknown) => {
          // A failed refresh is not fatal while the old credentials are still valid.
          if (current?.expiration && current.expiration.getTime() > now()) return current;
          throw error;
        },
      )
      .finally(() => {
        resolving = undefined;
      });
    return resolving;
  };
  return (): AwsCredentialIdentity | Promise<AwsCredentialIdentity> => fresh() ?? resolve();
};
