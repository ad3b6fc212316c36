/**
 * The team conventions each adapter follows, with the defaults documented in ../shared/samples/README.md and
 * the README's "Importing from your platform". The config's `adapters` key (src/config/schema.ts) overrides them key by key: a list replaces
 * the default list, `operations` is merged over the default operations.
 */

import { DIMENSION_FIELDS } from '../schema.ts';

export type OtelTarget = 'bot_message' | 'user_message' | 'tool_call' | 'retrieval' | 'task' | 'skip';
export const OTEL_TARGETS = ['bot_message', 'user_message', 'tool_call', 'retrieval', 'task', 'skip'] as const;

/** The conversation dimensions (and `text`) an OpenTelemetry attribute can carry. */
export const OTEL_DIMENSIONS = DIMENSION_FIELDS;
export type OtelDimension = (typeof OTEL_DIMENSIONS)[number];

export interface OtelOptions {
  /** Attributes naming the conversation, by priority; a trace without any is its own conversation. */
  conversation_id_keys: string[];
  user_id_keys: string[];
  /** Attributes holding a cost in USD; those present on a span are added up. */
  cost_keys: string[];
  /** Attributes naming the operation, by priority. */
  operation_keys: string[];
  /** Operation name → canonical event (`skip`: not an event). Operations not listed are skipped. */
  operations: Record<string, OtelTarget>;
  /** Attributes for each conversation dimension, by priority. */
  dimension_keys: Record<OtelDimension, string[]>;
  /** Attributes holding the message text (personal data: none by default). */
  text_keys: string[];
  /** `gen_ai.evaluation.score.label` values that mean the evaluation passed / failed (case-insensitive). */
  evaluation_pass_labels: string[];
  evaluation_fail_labels: string[];
}

export interface RasaOptions {
  /** Intents whose bot answer is a fallback. */
  fallback_intents: string[];
  /** Actions that answer with a fallback. */
  fallback_actions: string[];
  /** Actions that hand the conversation to a human (besides the `pause` event and `pattern_human_handoff`). */
  handoff_actions: string[];
  /** Custom actions (`action_*`) that are not calls to a backend, so not tool calls. */
  ignored_actions: string[];
  /** Intents that carry a satisfaction rating: intent → score (out of `feedback_scale_max`). */
  feedback_intents: Record<string, number>;
  /** A slot whose numeric value is a satisfaction rating (out of `feedback_scale_max`). */
  feedback_slot: string | null;
  feedback_scale_max: number | null;
  /** Whether the sender id identifies a person across sessions (true for most channels): it becomes `user_id`. */
  sender_is_user: boolean;
}

export interface CopilotStudioOptions {
  /** Test conversations from the authoring canvas (`isDesignMode`) are left out unless this is true. */
  include_design_mode: boolean;
  /** Where `user_id` comes from: the Entra ID object id (authenticated users only), the channel's user id, or nowhere. */
  user_id_source: 'aadObjectId' | 'from.id' | 'none';
  /** The channel of activities that name none. */
  default_channel: string | null;
}

export interface AdapterOptions {
  otel: OtelOptions;
  rasa: RasaOptions;
  'copilot-studio': CopilotStudioOptions;
}

export const DEFAULT_OTEL_OPERATIONS: Record<string, OtelTarget> = {
  chat: 'bot_message',
  text_completion: 'bot_message',
  generate_content: 'bot_message',
  // any-agent and other frameworks name an inference `call_llm`; it is a chat in the conventions' terms.
  call_llm: 'bot_message',
  execute_tool: 'tool_call',
  retrieval: 'retrieval',
  invoke_agent: 'task',
  invoke_workflow: 'task',
  embeddings: 'skip',
  create_agent: 'skip',
};

export function defaultOptions(): AdapterOptions {
  return {
    otel: {
      conversation_id_keys: ['gen_ai.conversation.id', 'session.id'],
      user_id_keys: ['user.id', 'enduser.id'],
      cost_keys: ['gen_ai.usage.input_cost', 'gen_ai.usage.output_cost'],
      operation_keys: ['gen_ai.operation.name'],
      operations: { ...DEFAULT_OTEL_OPERATIONS },
      dimension_keys: {
        channel: [],
        entry_point: [],
        intent: [],
        language: [],
        device: [],
        user_type: [],
        model_version: ['gen_ai.response.model', 'gen_ai.request.model'],
        kb_version: ['gen_ai.data_source.id'],
        prompt_version: ['gen_ai.prompt.name'],
      },
      text_keys: [],
      evaluation_pass_labels: ['pass', 'passed', 'true', 'correct', 'relevant', 'good', 'yes'],
      evaluation_fail_labels: ['fail', 'failed', 'false', 'incorrect', 'irrelevant', 'bad', 'no'],
    },
    rasa: {
      fallback_intents: ['nlu_fallback', 'out_of_scope'],
      fallback_actions: ['action_default_fallback', 'action_two_stage_fallback'],
      handoff_actions: [],
      ignored_actions: [],
      feedback_intents: {},
      feedback_slot: null,
      feedback_scale_max: null,
      sender_is_user: true,
    },
    'copilot-studio': { include_design_mode: false, user_id_source: 'aadObjectId', default_channel: null },
  };
}

/** The config file's `adapters` key as zod parsed it: every key optional. */
export interface AdaptersConfig {
  otel?: Partial<Omit<OtelOptions, 'dimension_keys'>> & { dimension_keys?: Partial<Record<OtelDimension, string[]>> };
  rasa?: Partial<RasaOptions>;
  'copilot-studio'?: Partial<CopilotStudioOptions>;
}

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The defaults with the config's keys applied. */
export function adapterOptions(config: AdaptersConfig | undefined = {}): AdapterOptions {
  const d = defaultOptions();
  const otel = defined(config.otel);
  return {
    otel: {
      ...d.otel,
      ...otel,
      operations: { ...d.otel.operations, ...otel.operations },
      dimension_keys: { ...d.otel.dimension_keys, ...defined(otel.dimension_keys) },
    } as OtelOptions,
    rasa: { ...d.rasa, ...defined(config.rasa) },
    'copilot-studio': { ...d['copilot-studio'], ...defined(config['copilot-studio']) },
  };
}
