import { z } from 'zod';

/** True when the runtime (and so DuckDB's ICU, which follows the same IANA database) knows the zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'expected an IANA time zone name such as "UTC" or "Europe/Berlin"' });

const otelAdapterSchema = z
  .object({
    conversation_id_keys: z.array(z.string().min(1)).optional(),
    user_id_keys: z.array(z.string().min(1)).optional(),
    cost_keys: z.array(z.string().min(1)).optional(),
  })
  .strict();

const rasaAdapterSchema = z
  .object({
    fallback_intents: z.array(z.string().min(1)).optional(),
    fallback_actions: z.array(z.string().min(1)).optional(),
    handoff_actions: z.array(z.string().min(1)).optional(),
    feedback_intents: z.record(z.string(), z.number()).optional(),
    feedback_slot: z.string().min(1).optional(),
    feedback_scale_max: z.number().positive().optional(),
  })
  .strict();

const copilotStudioAdapterSchema = z.object({ default_channel: z.string().min(1).optional() }).strict();

/** Every key of ../shared/spec/config.md, accepted from the first release. */
export const configSchema = z
  .object({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors'),
    timezone: timeZoneSchema.optional().describe('Report time zone (IANA name); default UTC'),
    human_contact_cost_usd: z.number().nonnegative().optional().describe('Cost of one human contact, for deflection_value_usd'),
    goals: z
      .record(z.string().min(1), z.object({ label: z.string().min(1) }).strict())
      .optional()
      .describe('Labels for goal names'),
    headline_goal: z.string().min(1).optional().describe('The goal shown as the business outcome on the executive view'),
    inputs: z.array(z.string().min(1)).optional().describe('Export files or folders for the scheduled job'),
    site: z
      .object({
        title: z.string().min(1).optional(),
        base: z.string().startsWith('/', { message: 'expected a path starting with "/"' }).optional(),
        drafts: z.enum(['show', 'hide']).optional(),
      })
      .strict()
      .optional(),
    publish: z.object({ keep: z.number().int().min(1).optional() }).strict().optional(),
    adapters: z
      .object({ otel: otelAdapterSchema.optional(), rasa: rasaAdapterSchema.optional(), 'copilot-studio': copilotStudioAdapterSchema.optional() })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;

/** The config with every default applied. */
export interface Config {
  timezone: string;
  timezoneFromFile: boolean;
  human_contact_cost_usd: number | null;
  goals: Record<string, { label: string }>;
  headline_goal: string | null;
  inputs: string[];
  site: { title: string; base: string; drafts: 'show' | 'hide' };
  publish: { keep: number | null };
  adapters: NonNullable<ConfigFile['adapters']>;
  /** Folder the config file lives in (inputs are resolved against it); the current folder without a file. */
  dir: string;
}

export function withDefaults(file: ConfigFile, dir: string): Config {
  return {
    timezone: file.timezone ?? 'UTC',
    timezoneFromFile: file.timezone !== undefined,
    human_contact_cost_usd: file.human_contact_cost_usd ?? null,
    goals: file.goals ?? {},
    headline_goal: file.headline_goal ?? null,
    inputs: file.inputs ?? [],
    site: { title: file.site?.title ?? 'Chatbot KPI review', base: file.site?.base ?? '/', drafts: file.site?.drafts ?? 'show' },
    publish: { keep: file.publish?.keep ?? null },
    adapters: file.adapters ?? {},
    dir,
  };
}
