/**
 * A string's length in UTF-8 bytes: Node's native `Buffer.byteLength`, reached without Node's
 * types. The browser page type-checks the protocol's files (client/wire.ts imports their types)
 * with no Node globals declared; only the server calls this.
 */
const { Buffer } = globalThis as unknown as { Buffer: { byteLength: (text: string) => number } };

export const utf8Length = (text: string) => Buffer.byteLength(text);
