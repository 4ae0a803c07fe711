/**
 * What DynamoDB bills a write, in write units: one per KB (1,024 bytes) of the item, rounded up,
 * the larger of its old and new image for an update, and twice that for each item of a
 * transaction. A room's rate is charged in these (see `room-charge.ts`), so that one 16 KiB edit
 * costs what it costs the room's partition rather than what a short message does.
 */

/**
 * An item's size as DynamoDB counts it: the UTF-8 bytes of its attribute names and values
 * (undefined ones are not written: the document client removes them).
 */
export const itemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) =>
      value === undefined ? sum : sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );

/**
 * A string's UTF-8 bytes; a number's one byte per two significant digits and one more (trailing
 * zeros counted: a byte too many at worst).
 */
const valueBytes = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(significantDigits(value) / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  // A list or map: 3 bytes, and 1 more for each element.
  if (Array.isArray(value)) return 3 + value.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  const entries = Object.entries(value as Record<string, unknown>);
  return 3 + entries.reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueBytes(v), 0);
};

const significantDigits = (value: number) =>
  String(Math.abs(value))
    .replace(/[.\-e+]/g, '')
    .replace(/^0+/, '').length || 1;

/** Write units of one single-item write of an item this size (at least one). */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** Write units of a transaction writing items of these sizes: each item's, twice. */
export const transactionUnits = (...bytes: number[]) =>
  2 * bytes.reduce((sum, size) => sum + writeUnits(size), 0);
