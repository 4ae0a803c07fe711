import * as v from 'valibot';
import { MAX_SEQ } from './limits.js';
import { NameSchema } from './names.js';

/** The `$connect` query (docs/protocol.md#the-connect-query). */
export const ConnectQuery = v.object({
  room: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'room must be 1-64 letters, digits, "_" or "-"'),
    ),
    'general',
  ),
  name: v.optional(NameSchema),
  since: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,12}$/, 'since must be a whole number of at least 0'),
      v.transform(Number),
      v.maxValue(MAX_SEQ, 'since is too large'),
    ),
  ),
});

export type ConnectInput = v.InferOutput<typeof ConnectQuery>;
