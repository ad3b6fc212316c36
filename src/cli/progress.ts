import type { IngestProgress } from '../data/ingest.ts';

/** Progress on standard error: a bar-like line on a TTY, one line per file otherwise (CI logs). */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): IngestProgress & { finish(): void } {
  const tty = Boolean(stream.isTTY);
  let current = '';
  return {
    /** Ends the progress line on a TTY, so that what is printed next starts on a line of its own. */
    finish() {
      if (tty && current) stream.write('\n');
      current = '';
    },
    fileStarted(input, index, total) {
      current = `[${index + 1}/${total}] ${input.path}`;
      if (tty) stream.write(`\r\x1b[K${current}`);
      else stream.write(`reading ${current}\n`);
    },
    rows(count) {
      if (tty) stream.write(`\r\x1b[K${current}: ${count} rows`);
    },
    percent(value) {
      if (tty) stream.write(`\r\x1b[K${current}: ${Math.floor(value)}%`);
    },
    warn(message) {
      stream.write(`${tty ? '\r\x1b[K' : ''}warning: ${message}\n`);
    },
  };
}
