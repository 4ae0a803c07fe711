import { ACTIONS, GATEWAY_ROUTE_KEYS } from '../../src/protocol/routes.js';

/** The routes a message can select when none are configured: this project's actions. */
export const DEFAULT_ROUTE_KEYS = ACTIONS;

/** Route keys API Gateway reserves; a message body can never select them. */
const RESERVED = new Set<string>(GATEWAY_ROUTE_KEYS);

/**
 * Route selection with the expression `$request.body.action`, as API Gateway evaluates it: the
 * body must be a JSON object whose `action` is a string equal (case-sensitively) to a configured
 * route key. Everything else (not JSON, an array, no `action`, an unknown or reserved action,
 * `__proto__`) selects `$default`, and the event's `routeKey` is the selected key.
 */
export const routeKeyForBody = (body: string, routeKeys: ReadonlySet<string>): string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '$default';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return '$default';
  // Own properties only: a prototype key must not select anything.
  const action = Object.hasOwn(parsed, 'action')
    ? (parsed as Record<string, unknown>).action
    : undefined;
  if (typeof action !== 'string' || RESERVED.has(action)) return '$default';
  return routeKeys.has(action) ? action : '$default';
};
