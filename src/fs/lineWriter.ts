import fs from 'node:fs';
import { once } from 'node:events';

/**
 * A buffered writer of lines that honours back-pressure, so memory stays bounded on huge outputs. `write`
 * returns a promise only when the caller must wait for the stream to drain (awaiting every line of a
 * ten-million-row file costs more than the writing). With `atomic`, lines go to a temporary file that
 * `close` renames into place, so the file appears complete or not at all.
 */
export class LineWriter {
  readonly file: string;
  private readonly target: string;
  private readonly stream: fs.WriteStream;
  private buffer: string[] = [];
  private size = 0;
  private failure: Error | undefined;

  constructor(file: string, options: { atomic?: boolean } = {}) {
    this.file = file;
    this.target = options.atomic ? `${file}.tmp-${process.pid}` : file;
    this.stream = fs.createWriteStream(this.target);
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  write(line: string): Promise<unknown> | undefined {
    if (this.failure) throw this.failure;
    this.buffer.push(line);
    this.size += line.length + 1;
    return this.size < 1 << 20 ? undefined : this.flush();
  }

  private flush(): Promise<unknown> | undefined {
    if (!this.buffer.length) return undefined;
    const ok = this.stream.write(`${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.size = 0;
    return ok ? undefined : once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
    if (this.target !== this.file) fs.renameSync(this.target, this.file);
  }

  /** Stops writing and removes the temporary file of an atomic writer. */
  abort(): void {
    this.stream.destroy();
    if (this.target !== this.file) fs.rmSync(this.target, { force: true });
  }
}
