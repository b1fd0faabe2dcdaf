import { isUtf8 } from 'node:buffer';

/** A history file's bytes as text. */
export interface DecodedText {
  readonly text: string;
  /** True when some bytes were not UTF-8 and were replaced with U+FFFD. */
  readonly replaced: boolean;
}

/** Decodes UTF-8 (dropping a byte-order mark, which `JSON.parse` refuses), noting invalid bytes. */
export function decodeText(bytes: Buffer): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  return { text: body.toString('utf8'), replaced: !isUtf8(body) };
}
