// A simulated customer played by a model through any Provider (e.g. `--simulator openai:gpt-4o-mini`
// later): a persona prompt in the customer's language (goal, mood, patience, what they know and when
// to say it), the conversation with roles swapped (the bot's turns are the model's "user"), and a stop
// marker the model writes when the goal is met or it gives up. It opens with the scenario's first
// script turn verbatim, so every candidate meets the same opening. Replies go through the response
// cache (`withCache`), keyed per trial, so reruns are deterministic and free.
import type { Language, Turn } from '../domain/dialogue.ts';
import { parseReply, type ChatMessage, type ModelParams, type Provider } from '../domain/eval.ts';
import { withCache, type ResponseCache } from '../providers/response-cache.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { CustomerSimulator } from './simulator.ts';

export const STOP_MARKER = '###STOP###';

export interface LlmSimulatorOptions {
  provider: Provider;
  /** Recorded replies (read mode records on the first run; replay mode needs no key). */
  cache?: ResponseCache;
  /** Default: temperature 0, 200 tokens (a customer's message is short). */
  params?: ModelParams;
}

const EMOTION_WORDS: Record<Language, Record<Scenario['persona']['emotion'], string>> = {
  zh: { calm: '心平气和', frustrated: '有点着急、不耐烦', angry: '非常生气' },
  en: { calm: 'calm', frustrated: 'frustrated and a bit impatient', angry: 'angry' },
};

function knowsLines(s: Scenario): string[] {
  const k = s.knows;
  const zh = s.language === 'zh';
  const line = (zhLabel: string, enLabel: string, value: string | number | undefined) => (value === undefined ? [] : [`- ${zh ? zhLabel : enLabel}: ${value}`]);
  return [
    ...line('订单号', 'Order number', k.order_id),
    ...line('商品', 'Product', k.product),
    ...line('购买时间', 'Bought', k.bought),
    ...line('问题', 'Problem', k.problem),
    ...line('新收货地址', 'New delivery address', k.new_address),
    ...line('每月流量(GB)', 'Data used per month (GB)', k.data_gb),
    ...line('每月通话(分钟)', 'Call minutes per month', k.minutes),
    ...line('手机号', 'Phone number', k.phone),
    zh ? `- 如果客服提出付费维修等方案：${k.accepts_offer ? '同意' : '拒绝'}` : `- If the agent offers a paid repair or a booking: ${k.accepts_offer ? 'accept' : 'decline'}`,
  ];
}

/** The persona prompt, in the customer's language. */
export function personaPrompt(s: Scenario): string {
  const p = s.persona;
  if (s.language === 'zh') {
    return [
      '你在扮演一位联系电商客服的顾客，不是客服。每次只说一句顾客会说的话，简短、口语化，用中文。',
      `你的目的：${s.goal.description}`,
      `你的情绪：${EMOTION_WORDS.zh[p.emotion]}。耐心（1-5）：${p.patience}。会员等级：${p.tier}。`,
      '你知道的信息（只在客服问到时才说，不要一次全说出来，不要编造没有列出的信息）：',
      ...knowsLines(s),
      '如果客服重复问你已经说过的信息，或者答非所问，你会更不耐烦；耐心用完时要求转人工。',
      `当客服确认你的问题已经解决（或明确说明无法办理并解释了原因），或者你决定放弃时，先简单回应一句，然后另起一行只写 ${STOP_MARKER}。`,
    ].join('\n');
  }
  return [
    "You are playing a customer contacting a retailer's customer service; you are not the agent. Write one short, natural customer message at a time, in English.",
    `Your goal: ${s.goal.description}`,
    `Your mood: ${EMOTION_WORDS.en[p.emotion]}. Patience (1-5): ${p.patience}. Customer tier: ${p.tier}.`,
    'What you know (say each only when the agent asks for it, never all at once, and invent nothing that is not listed):',
    ...knowsLines(s),
    'If the agent asks again for something you already gave, or ignores your request, you get more impatient; when your patience runs out, ask for a human.',
    `When the agent confirms your issue is settled (or clearly explains why it cannot be done), or you give up, reply briefly and then write ${STOP_MARKER} alone on a new line.`,
  ].join('\n');
}

/** The conversation from the customer's side: the bot's turns as user messages, the customer's as assistant ones. */
export function customerSideMessages(s: Scenario, turns: readonly Turn[]): ChatMessage[] {
  // The model plays the customer, who speaks first: a greeting from the agent opens, since several chat templates reject an assistant message right after the system one.
  const messages: ChatMessage[] = [
    { role: 'system', content: personaPrompt(s) },
    { role: 'user', content: s.language === 'zh' ? '您好，请问有什么可以帮您？' : 'Hi! How can I help you today?' },
  ];
  for (const turn of turns) {
    if (turn.role !== 'customer' && turn.role !== 'agent') continue;
    const role = turn.role === 'agent' ? 'user' : 'assistant';
    const content = turn.role === 'agent' ? parseReply(turn.text).answer : turn.text;
    const last = messages[messages.length - 1]!;
    if (last.role === role) last.content += `\n${content}`;
    else messages.push({ role, content });
  }
  return messages;
}

export function createLlmSimulator(options: LlmSimulatorOptions): CustomerSimulator {
  const params: ModelParams = options.params ?? { temperature: 0, max_tokens: 200 };
  return {
    id: `llm:${options.provider.id}`,
    start(scenario, { trial }) {
      const provider = options.cache ? withCache(options.provider, options.cache, { trial }) : options.provider;
      return {
        async next(turns, signal) {
          if (!turns.some((t) => t.role === 'customer')) return { text: scenario.script[0]!, stop: false, events: ['opened'] };
          const result = await provider.generate({ messages: customerSideMessages(scenario, turns), params, trial, ...(signal ? { signal } : {}) });
          const stop = result.text.includes(STOP_MARKER);
          const text = result.text.replaceAll(STOP_MARKER, '').trim();
          return { text: text === '' ? null : text, stop, ...(stop ? { reason: 'customer_done' as const } : {}), events: stop ? ['stop_marker'] : [] };
        },
      };
    },
  };
}
