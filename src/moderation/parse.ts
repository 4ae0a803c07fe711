import * as v from 'valibot';
import type { RouteContext } from '../context.js';
import { firstIssue } from '../protocol/issues.js';
import type { ModerationAction } from '../protocol/routes.js';
import { replyError } from '../reply.js';

/**
 * A moderation frame's body, checked against its schema: the output, or undefined once the
 * moderator has been told what is wrong (`invalid_request`, naming the action).
 */
export const parseModeration = async <S extends v.GenericSchema>(
  ctx: RouteContext,
  action: ModerationAction,
  schema: S,
  body: unknown,
): Promise<v.InferOutput<S> | undefined> => {
  const parsed = v.safeParse(schema, body);
  if (parsed.success) return parsed.output;
  await replyError(ctx, 'invalid_request', firstIssue(parsed.issues), { action });
  return undefined;
};
