import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines (LF or CRLF), yielding each with its 1-based number and the line break that
 * ended it (`''` for a last line without one), which a CSV cell spanning lines keeps as written.
 */
export async function* linesOf(stream: Readable): AsyncGenerator<[string, number, string]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  let first = true;
  for await (const chunk of stream) {
    let text = rest + decoder.write(chunk as Buffer);
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield [text.slice(start, end), ++number, end === nl ? '\n' : '\r\n'];
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest.length) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++number, ''];
}

export const isBlank = (line: string): boolean => line.trim() === '';
