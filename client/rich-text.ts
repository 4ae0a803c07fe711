// A message's light markdown as elements: **bold**, *italics*, _italics_, `code`, ```code
// blocks```, `> ` quotes and web addresses. Every character of the text ends up in a text node,
// so nothing in a message is ever read as HTML.
import { el } from './dom.js';

/** A web address, as typed: with its scheme, or starting with `www.`. */
const ADDRESS = /\bhttps?:\/\/[^\s<>"']+|(?<![\p{L}\p{N}_.@/-])www\.[\p{L}\p{N}-]+\.[^\s<>"']+/gu;

/** Inline spans, tried in this order where two start at the same place. */
const SPANS = [
  { tag: 'code', pattern: /`([^`\n]+)`/g },
  { tag: 'a', pattern: ADDRESS },
  { tag: 'strong', pattern: /\*\*(?=[^\s*])([^\n]*?[^\s*])\*\*/g },
  { tag: 'em', pattern: /(?<![\p{L}\p{N}*])\*(?=[^\s*])([^\n]*?[^\s*])\*(?![\p{L}\p{N}*])/gu },
  { tag: 'em', pattern: /(?<![\p{L}\p{N}_])_(?=[^\s_])([^\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu },
] as const;

/**
 * An address without the punctuation that ends the sentence around it: a closing bracket stays
 * only when the address opened one ("wiki/Foo_(bar)").
 */
const trimAddress = (text: string) => {
  let end = text.length;
  for (;;) {
    const last = text[end - 1] ?? '';
    const part = text.slice(0, end);
    const unopened = (open: string, close: string) =>
      last === close && part.split(close).length > part.split(open).length;
    if (/[.,;:!?*_'"]/.test(last) || unopened('(', ')') || unopened('[', ']')) end--;
    else return part;
  }
};

const link = (address: string) => {
  const a = el('a', '', address);
  a.href = address.startsWith('www.') ? `https://${address}` : address;
  a.rel = 'noopener noreferrer nofollow';
  a.target = '_blank';
  return a;
};

/** One line's (or one quote's) spans, as nodes. */
const inline = (text: string): Node[] => {
  const nodes: Node[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { tag: string; match: RegExpExecArray } | null = null;
    for (const { tag, pattern } of SPANS) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (match && (!best || match.index < best.match.index)) best = { tag, match };
    }
    if (!best) break;
    const { tag, match } = best;
    let end = match.index + match[0].length;
    if (match.index > at) nodes.push(document.createTextNode(text.slice(at, match.index)));
    if (tag === 'a') {
      const address = trimAddress(match[0]);
      end = match.index + address.length;
      nodes.push(link(address));
    } else if (tag === 'code') nodes.push(el('code', '', match[1]));
    else {
      const span = el(tag as 'strong' | 'em');
      span.append(...inline(match[1] ?? ''));
      nodes.push(span);
    }
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
};

const QUOTE = /^>(?: |$)/;

/** Text outside code blocks: lines, and runs of `> ` lines as one quote each. */
const lines = (text: string): Node[] => {
  const nodes: Node[] = [];
  const plain: string[] = [];
  const quoted: string[] = [];
  const flush = () => {
    if (plain.length) nodes.push(...inline(plain.join('\n')));
    if (quoted.length) {
      const quote = el('blockquote');
      quote.append(...inline(quoted.join('\n')));
      nodes.push(quote);
    }
    plain.length = 0;
    quoted.length = 0;
  };
  for (const line of text.split('\n')) {
    const isQuote = QUOTE.test(line);
    if (isQuote ? plain.length : quoted.length) flush();
    if (isQuote) quoted.push(line.replace(QUOTE, ''));
    else plain.push(line);
  }
  flush();
  return nodes;
};

/** A message's text as nodes to show in its bubble. */
export const richText = (text: string): Node[] => {
  const parts = text.split('```');
  // An unclosed fence is text.
  if (parts.length % 2 === 0) {
    const tail = parts.pop();
    parts[parts.length - 1] += `\`\`\`${tail}`;
  }
  const last = parts.length - 1;
  return parts.flatMap((part, i) => {
    if (i % 2 === 1) {
      const pre = el('pre');
      pre.append(el('code', '', part.replace(/^\n/, '').replace(/\n$/, '')));
      return [pre];
    }
    // A block is a line of its own: the line breaks on either side of it are its own.
    let around = part;
    if (i > 0) around = around.replace(/^\n/, '');
    if (i < last) around = around.replace(/\n$/, '');
    return around ? lines(around) : [];
  });
};
