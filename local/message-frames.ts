/** A frame as a client reads it: any JSON object, with the fields it uses typed by the caller. */
type AnyFrame = object & { type?: unknown; messages?: unknown };

/**
 * The `message` frames a frame stands for: a `message` frame itself, each entry of a busy room's
 * `messages` batch as a `message` frame in the batch's order
 * (docs/protocol.md#busy-rooms-messages-in-batches), and none for any other frame. Entries that are
 * not objects stand for nothing.
 */
export const messagesOf = <F extends AnyFrame>(frame: F): (F & { type: 'message' })[] => {
  if (frame.type === 'message') return [frame as F & { type: 'message' }];
  if (frame.type !== 'messages' || !Array.isArray(frame.messages)) return [];
  return frame.messages.flatMap((entry: unknown) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [];
    // An entry has no `type` of its own; one that claimed another must not pass for that frame.
    const { type: _type, ...fields } = entry as Record<string, unknown>;
    return [{ type: 'message', ...fields } as F & { type: 'message' }];
  });
};

/** The frames a frame stands for: a `messages` batch as its `message` frames, any other as itself. */
export const framesOf = <F extends AnyFrame>(frame: F): F[] =>
  frame.type === 'messages' ? messagesOf(frame) : [frame];
