import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import * as v from 'valibot';
import type { Logger } from '../log.js';
import { MessageText } from '../protocol/message-text.js';
import type { ReviewSettings } from './review-settings.js';

/** What the review function is asked: the text a sender wants stored, and who and where. */
export interface ReviewRequest {
  action: 'sendmessage' | 'editmessage';
  room: string;
  userId: string;
  name: string;
  text: string;
}

/** What a review decided: store the text, refuse it (the reason is safe to show), or store another. */
export type Verdict =
  | { result: 'ALLOW' }
  | { result: 'DENY'; reason: string }
  | { result: 'MODIFY'; text: string };

/** Reviews one text before it is stored; its fallback warnings go to `log`. */
export type Reviewer = (request: ReviewRequest, log: Logger) => Promise<Verdict>;

/** The answers a review function may give (Amazon IVS Chat's message review handler's pattern). */
const Answer = v.variant('result', [
  v.object({ result: v.literal('ALLOW') }),
  v.object({ result: v.literal('DENY'), reason: v.optional(v.string()) }),
  v.object({ result: v.literal('MODIFY'), text: v.string() }),
]);

/** Why the fallback decided instead of the function. */
type FallbackCause = 'timeout' | 'invoke_failed' | 'function_error' | 'bad_answer' | 'invalid_text';

/** A denial's reason when the function gave none, and when no review could be had. */
export const NO_REASON = 'it did not pass review';
export const UNREVIEWED = 'it could not be reviewed right now';

/** The longest reason shown to a sender, in characters, and in bytes for long clusters. */
const REASON_MAX_CHARS = 200;
const REASON_MAX_BYTES = 800;

/**
 * The message review hook: before a message or an edit is stored, the Lambda function named by
 * `REVIEW_FUNCTION` (a name or an ARN) is invoked synchronously with a `ReviewRequest` and answers
 * `{"result":"ALLOW"}`, `{"result":"DENY","reason":…}` or `{"result":"MODIFY","text":…}` (the
 * new text must pass a message's own rules). An answer later than `REVIEW_TIMEOUT_MS` (default
 * 200), a failed invocation, the function's own error, or an answer of another shape is decided
 * by `REVIEW_FALLBACK` (`allow`, the default, or `deny`), with a warning saying which. Without
 * `REVIEW_FUNCTION` there is no reviewer and nothing is invoked. Uses the container's one Lambda
 * client (the self-invokes' own).
 */
export const createReviewer = (client: LambdaClient, settings: ReviewSettings): Reviewer => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const { functionName, timeoutMs, fallback } = settings;
  return async (request, log) => {
    const began = performance.now();
    const fallBack = (cause: FallbackCause, fields: Record<string, unknown> = {}): Verdict => {
      const ms = Math.round(performance.now() - began);
      log('warn', 'review_fallback', { cause, fallback, function: functionName, ms, ...fields });
      return fallback === 'allow' ? { result: 'ALLOW' } : { result: 'DENY', reason: UNREVIEWED };
    };
    const signal = AbortSignal.timeout(timeoutMs);
    let answer: InvokeCommandOutput;
    try {
      answer = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: encoder.encode(JSON.stringify(request)),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (signal.aborted) return fallBack('timeout');
      return fallBack('invoke_failed', { error: (error as Error).name });
    }
    const payload = answer.Payload ? decoder.decode(answer.Payload) : '';
    if (answer.FunctionError !== undefined) {
      // The type only: the function's message might quote the text, which logs never hold.
      return fallBack('function_error', { error: errorTypeOf(payload) });
    }
    const parsed = v.safeParse(Answer, parseJson(payload));
    if (!parsed.success) return fallBack('bad_answer');
    const verdict = parsed.output;
    if (verdict.result === 'DENY') return { result: 'DENY', reason: shownReason(verdict.reason) };
    if (verdict.result === 'MODIFY' && !v.is(MessageText, verdict.text)) {
      return fallBack('invalid_text');
    }
    return verdict;
  };
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const errorTypeOf = (payload: string) => {
  const { errorType } = (parseJson(payload) ?? {}) as { errorType?: unknown };
  return typeof errorType === 'string' ? errorType.slice(0, 100) : 'unknown';
};

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Characters that would garble the line a reason is shown in, or reorder the text around it. */
const UNSHOWABLE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;

/**
 * A denial's reason as a sender may be shown it: one line without control or direction-override
 * characters, at most 200 characters (and 800 bytes), cut short with an ellipsis.
 */
export const shownReason = (reason: string | undefined) => {
  const line = (reason ?? '').replace(UNSHOWABLE, ' ').replace(/\s+/g, ' ').trim();
  if (!line) return NO_REASON;
  const kept: string[] = [];
  let bytes = 0;
  for (const { segment } of segmenter.segment(line)) {
    const size = Buffer.byteLength(segment);
    if (kept.length === REASON_MAX_CHARS || bytes + size > REASON_MAX_BYTES) {
      // Cut short: make room for the ellipsis (one character, three bytes).
      while (kept.length >= REASON_MAX_CHARS || bytes + ELLIPSIS_BYTES > REASON_MAX_BYTES) {
        bytes -= Buffer.byteLength(kept.pop() ?? '');
      }
      return `${kept.join('').trimEnd()}…`;
    }
    kept.push(segment);
    bytes += size;
  }
  return line;
};

const ELLIPSIS_BYTES = Buffer.byteLength('…');
