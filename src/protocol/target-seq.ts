import * as v from 'valibot';

/** The seq of the message an `editmessage` or `deletemessage` frame refers to. */
export const TargetSeq = v.pipe(
  v.number('seq must be a number'),
  v.integer('seq must be a whole number'),
  v.minValue(1, 'seq must be at least 1'),
);
