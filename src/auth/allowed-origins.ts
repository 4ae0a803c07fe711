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
/**
 * After a failed read SSM is asked again only after this long; meanwhile the list read before
 * stands, and with none read yet unlisted origins are refused with 503.
 */
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
  /** The list last read; undefined until a read succeeds. */
  let known: Set<string> | undefined;
  let nextReadAt = Number.NEGATIVE_INFINITY;
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
  // A failed read keeps the list read before it, if any, and is tried again sooner.
  const current = () => {
    if (options.now() < nextReadAt) return Promise.resolve(known);
    reading ??= parameterOrigins().then((origins) => {
      if (origins) known = origins;
      nextReadAt = options.now() + (origins ? ORIGINS_REFRESH_MS : ORIGINS_RETRY_MS);
      reading = undefined;
      return known;
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
