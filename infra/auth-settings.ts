/**
 * Where the function's `$connect` secrets live: the NAMES of SSM SecureString parameters the user
 * created beforehand (CloudFormation cannot create SecureStrings), never their values, plus the
 * plain JWT claims to require. The function reads the parameters at cold start.
 */
export interface ConnectAuthSettings {
  /** SSM parameter holding the shared secret a client passes as its token. */
  secretParameter: string | undefined;
  /** SSM parameter holding the HS256 key that verifies a client's JWT. */
  jwtSecretParameter: string | undefined;
  /** The `aud` a JWT must carry. */
  jwtAudience: string | undefined;
  /** The `iss` a JWT must carry. */
  jwtIssuer: string | undefined;
  /**
   * SSM parameter holding the pepper: the key of the store's fingerprints of message texts (and
   * later of identity keys). Without it, the table keeps a random one of its own.
   */
  pepperParameter: string | undefined;
}

/** A full hierarchical SSM parameter name: `/a/b/c`, at most 15 levels (SSM's own limits). */
const PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+){1,15}$/;
/** SSM's longest parameter name. */
const PARAMETER_NAME_MAX = 1011;
/** `/aws/...` and `/ssm/...` belong to AWS (public parameters, Secrets Manager references). */
const RESERVED_PREFIX = /^\/(aws|ssm)/i;
/** A JWT claim value: printable, no spaces, as issuers and audiences are written. */
const CLAIM = /^[\x21-\x7e]{1,256}$/;

/** Context keys that would carry a secret's plaintext: refused, so nobody takes them for settings. */
const PLAINTEXT_KEYS = ['connectSecret', 'connectJwtSecret', 'pepper'];

type Lookup = (contextKey: string, envKey: string) => string | undefined;

const parameterName = (setting: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  if (
    value.length > PARAMETER_NAME_MAX ||
    !PARAMETER_NAME.test(value) ||
    RESERVED_PREFIX.test(value)
  ) {
    throw new Error(
      `${setting} must be the name of an SSM SecureString parameter, such as /chat/prod/connect-secret ` +
        `(a full path of letters, digits, "_", ".", "-"; not under /aws or /ssm), not the secret itself`,
    );
  }
  return value;
};

const claim = (setting: string, value: string | undefined) => {
  if (value !== undefined && !CLAIM.test(value)) {
    throw new Error(`${setting} must be 1-256 printable characters without spaces`);
  }
  return value;
};

/**
 * Resolves the auth settings from `-c connectSecretParameter=`, `-c connectJwtSecretParameter=`,
 * `-c jwtAudience=`, `-c jwtIssuer=`, `-c pepperParameter=` (else `CHAT_CONNECT_SECRET_PARAMETER`,
 * `CHAT_CONNECT_JWT_SECRET_PARAMETER`, `CHAT_JWT_AUDIENCE`, `CHAT_JWT_ISSUER`,
 * `CHAT_PEPPER_PARAMETER`). All optional.
 */
export const resolveConnectAuth = (
  lookup: Lookup,
  hasContext: (key: string) => boolean,
): ConnectAuthSettings => {
  for (const key of PLAINTEXT_KEYS) {
    if (hasContext(key)) {
      throw new Error(
        `-c ${key} is not a setting: infra never takes a secret's value. Store it with ` +
          `"aws ssm put-parameter --type SecureString" and pass its name as -c ${key}Parameter=`,
      );
    }
  }
  const jwtSecretParameter = parameterName(
    'connectJwtSecretParameter',
    lookup('connectJwtSecretParameter', 'CHAT_CONNECT_JWT_SECRET_PARAMETER'),
  );
  const jwtAudience = claim('jwtAudience', lookup('jwtAudience', 'CHAT_JWT_AUDIENCE'));
  const jwtIssuer = claim('jwtIssuer', lookup('jwtIssuer', 'CHAT_JWT_ISSUER'));
  if ((jwtAudience !== undefined || jwtIssuer !== undefined) && !jwtSecretParameter) {
    throw new Error('jwtAudience and jwtIssuer need connectJwtSecretParameter: they check JWTs');
  }
  return {
    secretParameter: parameterName(
      'connectSecretParameter',
      lookup('connectSecretParameter', 'CHAT_CONNECT_SECRET_PARAMETER'),
    ),
    jwtSecretParameter,
    jwtAudience,
    jwtIssuer,
    pepperParameter: parameterName(
      'pepperParameter',
      lookup('pepperParameter', 'CHAT_PEPPER_PARAMETER'),
    ),
  };
};
