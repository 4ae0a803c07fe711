/**
 * A string's length in UTF-8 bytes, as `Buffer.byteLength` counts it (a lone surrogate is the
 * three bytes of U+FFFD), without Node: the protocol's types are the browser page's too
 * (client/wire.ts), so nothing here may need Node's globals.
 */
export const utf8Length = (text: string) => {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
};

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
