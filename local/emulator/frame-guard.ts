import type { Duplex } from 'node:stream';

/**
 * Watches the raw bytes a client sends and calls `onOversize` at the header of the first data
 * frame whose payload exceeds `maxFrameBytes`. `ws` can only limit whole messages, and API
 * Gateway limits each frame (32 KiB) as well as the message (128 KiB). The listener runs before
 * `ws`'s own, so the frame is refused before `ws` could deliver it.
 */
export const guardFrameSize = (socket: Duplex, maxFrameBytes: number, onOversize: () => void) => {
  let header = Buffer.alloc(0);
  let skip = 0;
  const onData = (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length) {
      if (skip > 0) {
        const step = Math.min(skip, chunk.length - offset);
        skip -= step;
        offset += step;
        continue;
      }
      // A header is at most 14 bytes and may straddle chunks.
      const carried = header.length;
      const taken = chunk.subarray(offset, offset + 14 - carried);
      header = Buffer.concat([header, taken]);
      const parsed = parseHeader(header);
      if (parsed === undefined) {
        offset += taken.length;
        continue;
      }
      offset += parsed.headerLength - carried;
      header = Buffer.alloc(0);
      if (parsed.opcode < 0x8 && parsed.payloadLength > maxFrameBytes) {
        socket.removeListener('data', onData);
        onOversize();
        return;
      }
      skip = parsed.payloadLength;
    }
  };
  socket.prependListener('data', onData);
};

/** The frame header at the start of `bytes`, or `undefined` while it is incomplete (RFC 6455 5.2). */
const parseHeader = (bytes: Buffer) => {
  if (bytes.length < 2) return undefined;
  const opcode = (bytes[0] ?? 0) & 0x0f;
  const masked = ((bytes[1] ?? 0) & 0x80) !== 0;
  const length7 = (bytes[1] ?? 0) & 0x7f;
  const extended = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  const headerLength = 2 + extended + (masked ? 4 : 0);
  if (bytes.length < headerLength) return undefined;
  const payloadLength =
    length7 === 126
      ? bytes.readUInt16BE(2)
      : length7 === 127
        ? Number(bytes.readBigUInt64BE(2))
        : length7;
  return { opcode, headerLength, payloadLength };
};
