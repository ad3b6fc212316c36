import { isBlank } from './lines.ts';
import { openInput } from './source.ts';

export interface RecordLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line as the NDJSON reader sees it (BOM and line break removed). */
  text: string;
}

const OPEN_BRACE = 0x7b;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The records (non-blank lines, numbered 1, 2, … as the NDJSON reader counts them) of `file` at the given
 * ordinals, and how many records it holds. A byte scan: only lines that do not start with `{` and the lines asked
 * for are decoded, so it is a fraction of the cost of reading the file as records.
 */
export async function recordLines(file: string, ordinals: ReadonlySet<number>): Promise<{ count: number; lines: Map<number, RecordLine> }> {
  const lines = new Map<number, RecordLine>();
  let line = 0;
  let count = 0;
  const visit = (bytes: Buffer, start: number, end: number) => {
    line++;
    if (line === 1 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
    if (end > start && bytes[end - 1] === CR) end--;
    let text: string | undefined;
    if (bytes[start] !== OPEN_BRACE) {
      text = bytes.toString('utf8', start, end);
      if (isBlank(text)) return;
    }
    count++;
    if (ordinals.has(count)) lines.set(count, { line, text: text ?? bytes.toString('utf8', start, end) });
  };
  let rest: Buffer | undefined;
  for await (const chunk of openInput(file)) {
    const bytes: Buffer = rest?.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    let nl: number;
    while ((nl = bytes.indexOf(LF, start)) !== -1) {
      visit(bytes, start, nl);
      start = nl + 1;
    }
    rest = bytes.subarray(start);
  }
  if (rest?.length) visit(rest, 0, rest.length);
  return { count, lines };
}
