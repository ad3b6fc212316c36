import type { AdapterReader, SourceFormat } from './common.ts';
import { copilotStudioReader } from './copilotStudio.ts';
import { adapterOptions, type AdaptersConfig } from './options.ts';
import { otelReader } from './otelReader.ts';
import { rasaReader } from './rasa.ts';

export { addStats, describeStats, emptyStats, isSourceFormat, SOURCE_FORMATS, type AdapterReader, type SourceFormat, type SourceStats } from './common.ts';
export { chooseFormat, FROM_OPTIONS, isFromOption, type FromOption } from './detect.ts';
export { adapterOptions, type AdaptersConfig } from './options.ts';

/** The streaming reader of a platform export, with the config's `adapters` conventions over the defaults. */
export function adapterReader(format: SourceFormat, file: string, config?: AdaptersConfig): AdapterReader {
  const options = adapterOptions(config);
  switch (format) {
    case 'otel':
      return otelReader(file, options.otel);
    case 'rasa':
      return rasaReader(file, options.rasa);
    case 'copilot-studio':
      return copilotStudioReader(file, options['copilot-studio']);
  }
}

/** Whether a RecordReader reads a platform export (and so reports what it read from the source). */
export const isAdapterReader = (reader: object): reader is AdapterReader => 'sourceStats' in reader;
