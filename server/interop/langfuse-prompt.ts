// firstcall prompt templates as Langfuse prompts and back, pure.
// Out: a Langfuse prompt holds one language, so a template is published as one chat prompt per
// language (`<name>-zh`, `<name>-en`): the system prompt with its {{variables}} left for the bot to
// fill (Langfuse and firstcall both write {{name}}), the examples of that language as user/assistant
// pairs, and a `conversation` placeholder; config holds the model, its parameters, and under
// `firstcall` the whole template (hand-off rules, fallback, policy), the candidate hash and the run.
// In: `langfuse://name@label` or `langfuse://name#version`; a prompt firstcall published comes back as
// the template it was (with any edit made in Langfuse to its language's system prompt or examples);
// any other chat or text prompt becomes a template whose system prompt serves both languages.
import { z } from 'zod';
import { Language } from '../domain/dialogue.ts';
import { Bilingual, ModelParams, PromptTemplate, type CandidateSpec } from '../domain/eval.ts';
import type { CreatePromptRequest, LangfusePrompt } from './langfuse-client.ts';

export const LANGFUSE_PROMPT_SCHEME = 'langfuse://';

export interface LangfusePromptRef {
  name: string;
  label?: string;
  version?: number;
}

/** `langfuse://name@label`, `langfuse://name#3`, or `langfuse://name` (the `production` label); undefined when not a langfuse:// reference. */
export function parseLangfusePromptRef(ref: string): LangfusePromptRef | undefined {
  if (!ref.startsWith(LANGFUSE_PROMPT_SCHEME)) return undefined;
  const rest = ref.slice(LANGFUSE_PROMPT_SCHEME.length);
  const hash = rest.lastIndexOf('#');
  const at = rest.lastIndexOf('@');
  let out: LangfusePromptRef;
  if (hash >= 0) {
    const version = rest.slice(hash + 1);
    if (!/^[1-9]\d*$/.test(version)) throw new Error(`${ref}: the version after # is a whole number from 1, got "${version}"`);
    out = { name: rest.slice(0, hash), version: Number(version) };
  } else if (at >= 0) {
    const label = rest.slice(at + 1);
    if (!/^[A-Za-z0-9_.-]+$/.test(label)) throw new Error(`${ref}: the label after @ is letters, digits, _ . -, got "${label}"`);
    out = { name: rest.slice(0, at), label };
  } else out = { name: rest, label: 'production' };
  if (out.name.trim() === '') throw new Error(`${ref}: no prompt name (langfuse://NAME@LABEL or langfuse://NAME#VERSION)`);
  return out;
}

export const describeRef = (ref: LangfusePromptRef): string => `${LANGFUSE_PROMPT_SCHEME}${ref.name}${ref.version !== undefined ? `#${ref.version}` : `@${ref.label ?? 'production'}`}`;

/** What firstcall keeps under config.firstcall of a prompt it published. */
export const FirstcallPromptConfig = z.object({
  language: Language,
  template: PromptTemplate,
  candidate: z.string().optional(),
  candidate_hash: z.string().optional(),
  run_id: z.string().nullable().optional(),
  channel: z.string().optional(),
  config_version: z.string().optional(),
});
export type FirstcallPromptConfig = z.infer<typeof FirstcallPromptConfig>;

/** What a prompt not published by firstcall may set under config.firstcall (all optional). */
const FirstcallExtras = z.object({
  escalation: PromptTemplate.shape.escalation.optional(),
  fallback_message: Bilingual.optional(),
  policy: Bilingual.optional(),
  greeting: Bilingual.optional(),
  sign_off: Bilingual.optional(),
});

export interface PublishInput {
  /** Prompt names are `<name>-zh` and `<name>-en`. */
  name: string;
  label: string;
  template: PromptTemplate;
  spec: Pick<CandidateSpec, 'name' | 'model' | 'params'>;
  candidateHash: string;
  runId: string | null;
  channel: string;
  configVersion: string;
}

export const PROMPT_LANGUAGES = ['zh', 'en'] as const satisfies readonly Language[];
export const promptNameFor = (name: string, language: Language): string => `${name}-${language}`;

/** The prompt versions to create, one per language. */
export function publishRequests(input: PublishInput): Array<CreatePromptRequest & { name: string; type: 'chat' }> {
  const [provider, ...rest] = input.spec.model.split(':');
  const params = ModelParams.parse(input.spec.params);
  return PROMPT_LANGUAGES.map((language) => {
    const firstcall: FirstcallPromptConfig = {
      language,
      template: input.template,
      candidate: input.spec.name,
      candidate_hash: input.candidateHash,
      run_id: input.runId,
      channel: input.channel,
      config_version: input.configVersion,
    };
    return {
      name: promptNameFor(input.name, language),
      type: 'chat' as const,
      prompt: [
        { type: 'chatmessage' as const, role: 'system', content: input.template.system[language] },
        ...input.template.few_shot
          .filter((e) => e.language === language)
          .flatMap((e) => [
            { type: 'chatmessage' as const, role: 'user', content: e.customer },
            { type: 'chatmessage' as const, role: 'assistant', content: e.agent },
          ]),
        { type: 'placeholder' as const, name: 'conversation' },
      ],
      config: { model: rest.join(':'), provider, ...params, firstcall },
      labels: [input.label],
      tags: ['firstcall'],
      commitMessage: `firstcall: ${input.spec.name} (${input.candidateHash}) promoted to ${input.channel} ${input.label}${input.runId ? ` from run ${input.runId}` : ''}`,
    };
  });
}

/** Whether a stored prompt version already says what this request would publish (then no new version is needed). */
export function samePublication(existing: LangfusePrompt, request: ReturnType<typeof publishRequests>[number]): boolean {
  if (existing.type !== 'chat') return false;
  const config = FirstcallPromptConfig.safeParse((existing.config as { firstcall?: unknown } | undefined)?.firstcall);
  const wanted = (request.config as { firstcall: FirstcallPromptConfig }).firstcall;
  return config.success && config.data.candidate_hash === wanted.candidate_hash && JSON.stringify(messagesOf(existing)) === JSON.stringify(messagesOf(request));
}

function messagesOf(p: { prompt: unknown }): unknown[] {
  return (Array.isArray(p.prompt) ? p.prompt : []).map((m: Record<string, unknown>) => ('role' in m ? { role: m.role, content: m.content } : { placeholder: m.name }));
}

/** Hand-off wording for a prompt that brings none: firstcall's marker and the three queues. */
const DEFAULT_ESCALATION: PromptTemplate['escalation'] = {
  rules: {
    zh: '客户要求转人工、情绪非常激动、是VIP且问题复杂，或依据政策和档案无法解决时，转人工处理：先给出能确定的答复，再告诉客户正在转接，并在回复末尾加上标记 [[handoff:human]]（VIP客户用 [[handoff:vip]]，投诉用 [[handoff:complaints]]）。',
    en: 'Hand off to a person when the customer asks for one, is very angry, is a VIP with a complex issue, or when the policy and record cannot resolve it: give what answer you can, say you are transferring them, and end the reply with [[handoff:human]] ([[handoff:vip]] for a VIP, [[handoff:complaints]] for a complaint).',
  },
  message: { zh: '我现在为您转接同事，由专人继续帮您处理。', en: "I'm bringing in a colleague who can take this over for you." },
  queues: { default: 'human', vip: 'vip', complaints: 'complaints' },
};
const DEFAULT_FALLBACK: Bilingual = { zh: '抱歉，这个问题我暂时无法准确回答，马上为您转接同事。', en: "Sorry, I couldn't answer that properly; I'm getting a colleague to help you." };

export interface TemplateFromPrompt {
  template: PromptTemplate;
  /** The prompt was published by firstcall (its template restored), else converted. */
  fromFirstcall: boolean;
}

/**
 * A Langfuse prompt version as a firstcall template. Throws an Error whose message names the
 * message that cannot be used; unknown {{variables}} are checked by the caller (templateVariableProblems).
 */
export function templateFromPrompt(prompt: LangfusePrompt, detect: (text: string) => Language): TemplateFromPrompt {
  const systemParts: string[] = [];
  const pairs: Array<{ customer: string; agent: string }> = [];
  if (prompt.type === 'text') systemParts.push(prompt.prompt);
  else {
    const messages = prompt.prompt as unknown as Array<Record<string, unknown>>;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      if (!('role' in m)) continue; // a placeholder: the conversation goes there
      const role = String(m.role);
      const content = typeof m.content === 'string' ? m.content : '';
      if (role === 'system' || role === 'developer') {
        if (pairs.length > 0) throw new Error(`message ${i + 1} is a ${role} message after the examples; firstcall puts the system prompt first`);
        systemParts.push(content);
      } else if (role === 'user' && messages[i + 1] && String(messages[i + 1]!.role) === 'assistant') {
        pairs.push({ customer: content, agent: String(messages[i + 1]!.content ?? '') });
        i++;
      } else {
        throw new Error(`message ${i + 1} (${role}) is not part of a user/assistant example pair; firstcall reads a system prompt, example pairs and placeholders`);
      }
    }
  }
  if (systemParts.length === 0 || systemParts.every((s) => s.trim() === '')) throw new Error('the prompt has no system text');
  const system = systemParts.join('\n\n');
  const config = (prompt.config ?? {}) as { firstcall?: unknown };

  const published = FirstcallPromptConfig.safeParse(config.firstcall);
  if (published.success) {
    const { language, template } = published.data;
    const queue = [...pairs];
    const few_shot: PromptTemplate['few_shot'] = [];
    for (const e of template.few_shot) {
      if (e.language !== language) few_shot.push(e);
      else {
        const next = queue.shift();
        if (next) few_shot.push({ language, ...next });
      }
    }
    for (const next of queue) few_shot.push({ language, ...next });
    return { template: { ...template, system: { ...template.system, [language]: system }, few_shot }, fromFirstcall: true };
  }

  const extras = FirstcallExtras.safeParse(config.firstcall ?? {});
  const extra = extras.success ? extras.data : {};
  const template = PromptTemplate.parse({
    id: slug(prompt.name),
    version: prompt.version,
    description: `Langfuse prompt ${prompt.name} v${prompt.version}${prompt.labels.length > 0 ? ` (${prompt.labels.join(', ')})` : ''}`,
    system: { zh: system, en: system },
    few_shot: pairs.map((p) => ({ language: detect(p.customer), ...p })),
    ...(extra.greeting ? { greeting: extra.greeting } : {}),
    ...(extra.sign_off ? { sign_off: extra.sign_off } : {}),
    escalation: extra.escalation ?? DEFAULT_ESCALATION,
    fallback_message: extra.fallback_message ?? DEFAULT_FALLBACK,
    policy: extra.policy ?? { zh: '', en: '' },
  });
  return { template, fromFirstcall: false };
}

/** A template id from a prompt name: lower case, [a-z0-9_-]. */
function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return s === '' ? 'langfuse-prompt' : s;
}
