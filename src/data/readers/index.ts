import { adapterReader } from '../adapters/index.ts';
import type { InputFile } from '../inputs.ts';
import { csvReader } from './csv.ts';
import { ndjsonReader } from './ndjson.ts';
import { parquetReader } from './parquet.ts';
import type { RecordReader } from './source.ts';

export type { RecordReader, SourceRecord } from './source.ts';

export function readerFor(input: InputFile): RecordReader {
  switch (input.format) {
    case 'ndjson':
      return ndjsonReader(input.path);
    case 'csv':
      return csvReader(input.path);
    case 'parquet':
      return parquetReader(input.path);
    case 'otel':
    case 'rasa':
    case 'copilot-studio':
      return adapterReader(input.format, input.path, input.adapters);
  }
}
