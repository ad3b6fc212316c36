import { z } from 'zod';
import { OTEL_DIMENSIONS, OTEL_TARGETS, type OtelDimension } from '../data/adapters/options.ts';

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

const keyList = (description: string) => z.array(z.string().min(1)).optional().describe(description);

/** `adapters.otel`: OpenTelemetry attribute names and operations (defaults: src/data/adapters/options.ts, the README's "Importing from your platform"). */
const otelAdapterSchema = z
  .object({
    conversation_id_keys: keyList('Attributes naming the conversation, by priority (default ["gen_ai.conversation.id", "session.id"]; else the trace)'),
    user_id_keys: keyList('Attributes naming the user (default ["user.id", "enduser.id"])'),
    cost_keys: keyList('Attributes holding a cost in USD, added up (default ["gen_ai.usage.input_cost", "gen_ai.usage.output_cost"])'),
    operation_keys: keyList('Attributes naming the operation (default ["gen_ai.operation.name"])'),
    operations: z
      .record(z.string().min(1), z.enum(OTEL_TARGETS))
      .optional()
      .describe('Operation name → canonical event, merged over the defaults (chat → bot_message, execute_tool → tool_call, …; "skip" drops one)'),
    dimension_keys: z
      .object(Object.fromEntries(OTEL_DIMENSIONS.map((d) => [d, z.array(z.string().min(1)).optional()])) as Record<OtelDimension, z.ZodOptional<z.ZodArray<z.ZodString>>>)
      .strict()
      .optional()
      .describe('Attributes for each conversation dimension, by priority (default model_version ← gen_ai.response.model, gen_ai.request.model; kb_version ← gen_ai.data_source.id; prompt_version ← gen_ai.prompt.name)'),
    text_keys: keyList('Attributes holding the message text (default none)'),
    evaluation_pass_labels: keyList('gen_ai.evaluation.score.label values meaning the evaluation passed'),
    evaluation_fail_labels: keyList('gen_ai.evaluation.score.label values meaning the evaluation failed'),
  })
  .strict();

/** `adapters.rasa`: which intents, actions and slots mean what. */
const rasaAdapterSchema = z
  .object({
    fallback_intents: keyList('Intents whose bot answer is a fallback (default ["nlu_fallback", "out_of_scope"])'),
    fallback_actions: keyList('Actions that answer with a fallback (default ["action_default_fallback", "action_two_stage_fallback"])'),
    handoff_actions: keyList('Actions that hand over to a human (default none; the pause event and pattern_human_handoff always do)'),
    ignored_actions: keyList('Custom actions that are not backend calls, so not tool calls (default none)'),
    feedback_intents: z.record(z.string().min(1), z.number().nonnegative()).optional().describe('Intents carrying a satisfaction rating: intent → score'),
    feedback_slot: z.string().min(1).optional().describe('A slot whose numeric value is a satisfaction rating'),
    feedback_scale_max: z.number().positive().optional().describe('The rating scale of feedback_intents and feedback_slot (1 for thumbs, 5 for 1–5)'),
    sender_is_user: z.boolean().optional().describe('Whether the sender id is the user id (default true)'),
  })
  .strict()
  .refine((r) => (r.feedback_intents === undefined && r.feedback_slot === undefined) || r.feedback_scale_max !== undefined, {
    message: 'required with feedback_intents or feedback_slot (1 for thumbs, 5 for a 1–5 rating)',
    path: ['feedback_scale_max'],
  });

/** `adapters.copilot-studio`. */
const copilotStudioAdapterSchema = z
  .object({
    include_design_mode: z.boolean().optional().describe('Also import test conversations from the authoring canvas (default false)'),
    user_id_source: z.enum(['aadObjectId', 'from.id', 'none']).optional().describe('Where user_id comes from (default "aadObjectId": authenticated users only)'),
    default_channel: z.string().min(1).optional().describe('The channel of activities that name none'),
  })
  .strict();

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
      .optional()
      .describe('How platform exports map to canonical events, per source format (README: Importing from your platform)'),
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
