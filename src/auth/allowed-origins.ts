import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { originList } from './origin-list.js';

/** Which browser origins may open a connection: a fixed list, and a parameter's list. */
export interface OriginSettings {
  /** Origins given in the configuration (`ALLOWED_ORIGINS`). */
  allowedOrigins: readonly string[];
  /**
   * An SSM String parameter holding more origins, comma-separated (`ALLOWED_ORIGINS_PARAMETER`):
   * the deployed site writes its own origin there. A missing parameter adds none.
   */
  allowedOriginsParameter?: string | undefined;
}

/** What the gate says of one `Origin` header; `unavailable`: the list could not be read. */
export type OriginVerdict = 'allowed' | 'refused' | 'unavailable';

/** Decides whether a browser page from `origin` may connect. */
export type OriginGate = (origin: string) => Promise<OriginVerdict>;

/**
 * A container reads the parameter at most once per this long, whatever it held (or whether it
 * existed): a site deployed or replaced later is let in within a minute, and a flood of
 * connections from a stranger's origin costs one `GetParameter` a minute per container.
 */
export const ORIGINS_REFRESH_MS = 60_000;
/** After a failed read, unlisted origins are refused (503) without asking SSM for this long. */
export const ORIGINS_RETRY_MS = 5_000;

/**
 * The origin allow-list. With neither a list nor a parameter configured every origin may
 * connect (the gate is off); with either, only the listed ones. Origins in the fixed list never
 * wait for SSM; the parameter is read on the first unlisted origin, then again after
 * `ORIGINS_REFRESH_MS`. The SSM client is made on first use.
 */
export const createOriginGate = (
  settings: OriginSettings,
  options: { ssm: () => SSMClient; now: () => number },
): OriginGate | undefined => {
  const fixed = new Set(settings.allowedOrigins);
  const name = settings.allowedOriginsParameter;
  if (name === undefined) {
    if (fixed.size === 0) return undefined;
    return (origin) => Promise.resolve(fixed.has(origin) ? 'allowed' : 'refused');
  }
  let client: SSMClient | undefined;
  let read: { at: number; origins: Set<string> | undefined } | undefined;
  let reading: Promise<Set<string> | undefined> | undefined;

  const parameterOrigins = async () => {
    client ??= options.ssm();
    try {
      const answer = await client.send(new GetParameterCommand({ Name: name }));
      return new Set(originList(answer.Parameter?.Value));
    } catch (error) {
      if (error instanceof Error && error.name === 'ParameterNotFound') return new Set<string>();
      return undefined;
    }
  };
  const current = () => {
    const age = read ? options.now() - read.at : Number.POSITIVE_INFINITY;
    const fresh = read?.origins ? age < ORIGINS_REFRESH_MS : age < ORIGINS_RETRY_MS;
    if (fresh) return Promise.resolve(read?.origins);
    reading ??= parameterOrigins().then((origins) => {
      read = { at: options.now(), origins };
      reading = undefined;
      return origins;
    });
    return reading;
  };

  return async (origin) => {
    if (fixed.has(origin)) return 'allowed';
    const origins = await current();
    if (origins === undefined) return 'unavailable';
    return origins.has(origin) ? 'allowed' : 'refused';
  };
};
