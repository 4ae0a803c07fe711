import { RemovalPolicy } from 'aws-cdk-lib';
import { originList } from '../src/auth/origin-list.js';
import { type ConnectAuthSettings, resolveConnectAuth } from './auth-settings.js';
import { chatStackName } from './names.js';
import { type ReviewDeploySettings, resolveReview } from './review-settings.js';

/** Where a deployment's settings come from: CDK context (`-c key=value`) and the environment. */
export interface SettingsSources {
  context: (key: string) => unknown;
  env: NodeJS.ProcessEnv;
}

/** Who sets API Gateway's account-wide CloudWatch Logs role that access logging needs. */
export type ApiLogsRole = 'create' | 'existing';

/** What one deployment of the chat is called and what happens to its data on `cdk destroy`. */
export interface ChatSettings {
  stage: string;
  /** The chat API's stack: table, function, WebSocket API. */
  stackName: string;
  /** The browser site's stack (CloudFront, S3), deployed after the API's; undefined: no site. */
  siteStackName: string | undefined;
  /**
   * The SSM parameter the site's stack writes its origin to and the function reads its allowed
   * origins from: the function never depends on the site, which may fail, be off or come later.
   */
  siteOriginsParameter: string;
  /** Browser origins allowed besides the site's (your own pages): `https://chat.example.com`. */
  allowedOrigins: string[];
  /** Set explicitly so the function can be granted invoking itself without a template cycle. */
  functionName: string;
  removalPolicy: RemovalPolicy;
  /** Executions reserved for (and the most allowed to) the function; undefined: none reserved. */
  reservedConcurrency: number | undefined;
  apiLogsRole: ApiLogsRole;
  connectAuth: ConnectAuthSettings;
  /** The message review hook; undefined: messages are stored unreviewed. */
  review: ReviewDeploySettings | undefined;
  /** Who is emailed when an alarm fires (they confirm the subscription); undefined: nobody. */
  alarmEmail: string | undefined;
}

/** Stages whose data outlives the stack unless the user says otherwise. */
const KEEP_DATA_STAGES = new Set(['prod']);
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
/**
 * The stage admits at most 1,000 messages/s and an invocation takes about 100 ms: about 100
 * running at once. Reserving 100 also caps the function's spend (100 GB-s per second) and leaves
 * 900 of the default account quota of 1,000 to other functions.
 */
export const DEFAULT_RESERVED_CONCURRENCY = 100;
const RESERVED_CONCURRENCY_MAX = 10_000;

/**
 * Resolves the stage (`-c stage=`, else `CHAT_STAGE`, else `dev`), the removal policy
 * (`-c removal=`, else `CHAT_REMOVAL`, else `retain` for prod and `destroy` for any other stage),
 * the reserved concurrency (`-c reservedConcurrency=N|none`, else `CHAT_RESERVED_CONCURRENCY`,
 * else 100), the API Gateway logs role (`-c apiLogsRole=create|existing`, else
 * `CHAT_API_LOGS_ROLE`, else `create`), whether to deploy the site (`-c site=on|off`, else
 * `CHAT_SITE`, else on), other allowed browser origins (`-c allowedOrigins=https://a,https://b`,
 * else `CHAT_ALLOWED_ORIGINS`), the `$connect` auth parameters (see auth-settings.ts) and the
 * message review hook (`-c reviewFunction=`, see review-settings.ts) and the address alarms are
 * emailed to (`-c alarmEmail=`, else `CHAT_ALARM_EMAIL`, else none).
 */
export const resolveSettings = ({ context, env }: SettingsSources): ChatSettings => {
  const lookup = (contextKey: string, envKey: string) => {
    const value = context(contextKey) ?? env[envKey];
    return value === undefined ? undefined : String(value);
  };
  const stage = lookup('stage', 'CHAT_STAGE') ?? 'dev';
  if (!STAGE.test(stage)) {
    throw new Error(
      `stage "${stage}" must be 1-20 lowercase letters, digits or "-", starting with a letter`,
    );
  }
  const removal =
    lookup('removal', 'CHAT_REMOVAL') ?? (KEEP_DATA_STAGES.has(stage) ? 'retain' : 'destroy');
  if (removal !== 'retain' && removal !== 'destroy') {
    throw new Error(`removal "${removal}" must be "retain" or "destroy"`);
  }
  const apiLogsRole = lookup('apiLogsRole', 'CHAT_API_LOGS_ROLE') ?? 'create';
  if (apiLogsRole !== 'create' && apiLogsRole !== 'existing') {
    throw new Error(`apiLogsRole "${apiLogsRole}" must be "create" or "existing"`);
  }
  const site = lookup('site', 'CHAT_SITE') ?? 'on';
  if (site !== 'on' && site !== 'off') throw new Error(`site "${site}" must be "on" or "off"`);
  const stackName = chatStackName(stage);
  const functionName = `${stackName}-router`;
  const review = resolveReview(lookup);
  if (review?.functionName === functionName) {
    throw new Error(
      `reviewFunction must be another function than the chat's own (${functionName})`,
    );
  }
  return {
    stage,
    stackName,
    siteStackName: site === 'on' ? `${stackName}-site` : undefined,
    siteOriginsParameter: `/${stackName}/site-origins`,
    allowedOrigins: allowedOrigins(lookup('allowedOrigins', 'CHAT_ALLOWED_ORIGINS')),
    functionName,
    // Kept on a delete or a replacement, but not when the stack's first deploy (or the update
    // that added it) rolls back: that copy is new and empty, and would only be left behind.
    removalPolicy:
      removal === 'retain' ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY,
    reservedConcurrency: reservedConcurrency(
      lookup('reservedConcurrency', 'CHAT_RESERVED_CONCURRENCY'),
    ),
    apiLogsRole,
    connectAuth: resolveConnectAuth(lookup, (key) => context(key) !== undefined),
    review,
    alarmEmail: alarmEmail(lookup('alarmEmail', 'CHAT_ALARM_EMAIL')),
  };
};

/** One address, as SNS takes it: no name part, no list, no spaces. */
const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;".]+$/;

const alarmEmail = (value: string | undefined) => {
  if (value === undefined) return undefined;
  if (!EMAIL.test(value) || value.length > 254) {
    throw new Error(
      `alarmEmail "${value}" is not an email address; write one address, such as you@example.com`,
    );
  }
  return value;
};

/** `https://a.example,https://b.example:8443`: each exactly an origin (scheme, host, port). */
const allowedOrigins = (value: string | undefined) => {
  const origins = originList(value);
  for (const origin of origins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (parsed?.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(
        `allowedOrigins: "${origin}" is not an origin; write it as a browser sends it, ` +
          'such as https://chat.example.com (scheme and host, a port if not the default, no path)',
      );
    }
  }
  return origins;
};

const reservedConcurrency = (value: string | undefined) => {
  if (value === undefined) return DEFAULT_RESERVED_CONCURRENCY;
  if (value === 'none') return undefined;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > RESERVED_CONCURRENCY_MAX) {
    throw new Error(
      `reservedConcurrency "${value}" must be a whole number from 1 to ${RESERVED_CONCURRENCY_MAX}, ` +
        'or "none" (reserving N needs an account concurrency quota of at least N + 100)',
    );
  }
  return count;
};
