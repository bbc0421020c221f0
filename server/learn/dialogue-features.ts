// Whole-dialogue features for the learned scorers: n-grams of each role's text (the customer's last
// turn on its own: it says best whether the problem was solved), plus the conversation's shape.
import { z } from 'zod';
import type { Language, TurnRole } from '../domain/dialogue.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { tokenize } from '../text/segment.ts';
import { FeatureBuilder, type SparseVector } from './feature-hashing.ts';
import { normaliseForFeatures, placeholdersAsWords, readableFeatureText, shoutedWords } from '../text/text-normalise.ts';

/** Bump when extraction changes in a way that invalidates saved weights. */
export const FEATURE_EXTRACTOR_VERSION = 1;

/**
 * Feature blocks: customer text, agent text, the customer's last turn, the customer's first turn,
 * the agent's last reply, and the conversation's shape (`structure`).
 */
export const FEATURE_BLOCKS = ['customer', 'agent', 'last_customer', 'first_customer', 'last_agent', 'structure'] as const;
export const FeatureBlock = z.enum(FEATURE_BLOCKS);
export type FeatureBlock = z.infer<typeof FeatureBlock>;

const BLOCK_PREFIX: Readonly<Record<FeatureBlock, string>> = {
  customer: 'c',
  agent: 'a',
  last_customer: 'l',
  first_customer: 'f',
  last_agent: 'r',
  structure: 's',
};

export const FeatureSpec = z.object({
  extractor_version: z.literal(FEATURE_EXTRACTOR_VERSION),
  /** The hashed space has 2^bits slots. */
  bits: z.number().int().min(10).max(24),
  language: z.enum(['zh', 'en']),
  blocks: z.array(FeatureBlock).min(1),
  /** Character n-gram lengths (Chinese). */
  char_ngrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  /** Longest word n-gram (English). */
  word_ngrams: z.number().int().min(1).max(3),
  /** Per-block weights; absent blocks weigh 1. */
  block_weights: z.record(z.string(), z.number().positive()).default({}),
});
export type FeatureSpec = z.infer<typeof FeatureSpec>;

export function defaultFeatureSpec(language: Language, blocks: readonly FeatureBlock[] = FEATURE_BLOCKS): FeatureSpec {
  return {
    extractor_version: FEATURE_EXTRACTOR_VERSION,
    bits: 20,
    language,
    blocks: [...blocks],
    char_ngrams: [1, 3],
    word_ngrams: 2,
    block_weights: {},
  };
}

/** The part of a dialogue the extractor reads (the canonical format's turns). */
export interface DialogueTurns {
  turns: ReadonlyArray<{ role: TurnRole; text: string }>;
}

export interface ExtractedFeatures {
  vector: SparseVector;
  /** Readable name per index (only when asked for): the first feature that landed there. */
  names: Map<number, string> | null;
}

export function extractFeatures(dialogue: DialogueTurns, spec: FeatureSpec, keepNames = false): ExtractedFeatures {
  const b = new FeatureBuilder(spec.bits, keepNames);
  const turns = dialogue.turns.filter((t) => t.text.trim() !== '');
  const customer = turns.filter((t) => t.role === 'customer').map((t) => t.text);
  const agent = turns.filter((t) => t.role === 'agent').map((t) => t.text);
  const weight = (block: FeatureBlock) => spec.block_weights[block] ?? 1;
  const grams = (texts: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const text of texts) countGrams(text, spec, counts);
    return counts;
  };
  for (const block of spec.blocks) {
    const prefix = BLOCK_PREFIX[block];
    switch (block) {
      case 'customer':
        b.addBlock(prefix, grams(customer), weight(block));
        break;
      case 'agent':
        b.addBlock(prefix, grams(agent), weight(block));
        break;
      case 'last_customer':
        if (customer.length > 0) b.addBlock(prefix, grams([customer.at(-1)!]), weight(block));
        break;
      case 'first_customer':
        if (customer.length > 0) b.addBlock(prefix, grams([customer[0]!]), weight(block));
        break;
      case 'last_agent':
        if (agent.length > 0) b.addBlock(prefix, grams([agent.at(-1)!]), weight(block));
        break;
      case 'structure':
        for (const [name, value] of structureFeatures(turns)) b.add(`${prefix}:${name}`, value * weight(block));
        break;
    }
  }
  return { vector: b.build(), names: b.names };
}

function countGrams(text: string, spec: FeatureSpec, counts: Map<string, number>): void {
  const t = normaliseForFeatures(text);
  const add = (g: string) => counts.set(g, (counts.get(g) ?? 0) + 1);
  if (spec.language === 'zh') {
    // Characters without spaces; a space between Latin words is kept as a boundary mark.
    const chars = Array.from(t.replace(/\s+/g, ' ').trim());
    const [lo, hi] = spec.char_ngrams;
    for (let n = lo; n <= hi; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const g = chars.slice(i, i + n).join('');
        if (g.trim() === g || n > 1) add(g);
      }
    }
  } else {
    const words = tokenize(placeholdersAsWords(t), 'en');
    for (let n = 1; n <= spec.word_ngrams; n++) {
      for (let i = 0; i + n <= words.length; i++) add(words.slice(i, i + n).join(' '));
    }
  }
}

const THANKS = /谢谢|感谢|多谢|谢了|辛苦|thank|thx|cheers|appreciate/i;
const QUESTION = /[?？]/g;
const EXCLAIM = /[!！]/g;

/** The conversation's shape, as named indicator (or small numeric) features. */
export function structureFeatures(turns: ReadonlyArray<{ role: TurnRole; text: string }>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const bucket = (n: number, top: number) => (n >= top ? `${top}+` : String(n));
  const customer = turns.filter((t) => t.role === 'customer').map((t) => t.text);
  const agent = turns.filter((t) => t.role === 'agent').map((t) => t.text);
  const tools = turns.filter((t) => t.role === 'tool').length;
  const spoken = turns.filter((t) => t.role === 'customer' || t.role === 'agent');
  const last = spoken.at(-1)?.role ?? 'none';
  out.push([`turns=${bucket(spoken.length, 7)}`, 1], ['turns_log', Math.log1p(spoken.length) / 2]);
  out.push([`customer_turns=${bucket(customer.length, 4)}`, 1], [`agent_turns=${bucket(agent.length, 4)}`, 1]);
  out.push([`last=${last}`, 1]);
  if (tools > 0) out.push([`tools=${bucket(tools, 3)}`, 1]);
  if (agent.some((a) => textualHandoff(a) !== null)) out.push(['handoff_any', 1]);
  if (agent.length > 0 && textualHandoff(agent.at(-1)!) !== null) out.push(['handoff_last_agent', 1]);
  const repeats = repeatedAsks(customer);
  if (repeats > 0) out.push([`repeat_asks=${bucket(repeats, 2)}`, 1]);
  const lastCustomer = customer.at(-1);
  if (lastCustomer !== undefined) {
    const q = lastCustomer.match(QUESTION)?.length ?? 0;
    const e = lastCustomer.match(EXCLAIM)?.length ?? 0;
    out.push([`last_customer_questions=${bucket(q, 2)}`, 1], [`last_customer_exclaims=${bucket(e, 2)}`, 1]);
    if (THANKS.test(lastCustomer)) out.push([`last_customer_thanks${last === 'customer' ? '_final' : ''}`, 1]);
    out.push([`last_customer_length=${lengthBucket(lastCustomer)}`, 1]);
  }
  if (agent.some((a) => THANKS.test(a))) out.push(['agent_thanks', 1]);
  const shouted = customer.reduce((n, c) => n + shoutedWords(c).length, 0);
  if (shouted > 0) out.push([`customer_shouting=${bucket(shouted, 3)}`, 1]);
  return out;
}

/** Customer turns after the first that mostly repeat an earlier one (character-bigram Jaccard ≥ 0.35). */
function repeatedAsks(customer: readonly string[]): number {
  const sets = customer.map((c) => bigramSet(normaliseForFeatures(c)));
  let n = 0;
  for (let i = 1; i < sets.length; i++) {
    if (sets.slice(0, i).some((s) => jaccard(s, sets[i]!) >= 0.35)) n++;
  }
  return n;
}

function bigramSet(text: string): Set<string> {
  const chars = Array.from(text.replace(/\s+/g, ''));
  const s = new Set<string>();
  for (let i = 0; i + 2 <= chars.length; i++) s.add(chars[i]! + chars[i + 1]!);
  return s;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Length in Han characters + Latin words, bucketed on a log scale. */
function lengthBucket(text: string): string {
  const size = (text.match(/\p{Script=Han}/gu)?.length ?? 0) + (text.match(/[A-Za-z]+/g)?.length ?? 0);
  return size < 5 ? 'xs' : size < 15 ? 's' : size < 40 ? 'm' : size < 100 ? 'l' : 'xl';
}

const BLOCK_LABEL: Readonly<Record<string, string>> = {
  c: 'customer',
  a: 'agent',
  l: "customer's last turn",
  f: "customer's first turn",
  r: "agent's last reply",
  s: 'shape',
};

/** "l:谢谢" → { block: "customer's last turn", text: "谢谢" }; structure features keep their name. */
export function splitFeatureName(name: string): { block: string; text: string } {
  const colon = name.indexOf(':');
  const prefix = name.slice(0, colon);
  return { block: BLOCK_LABEL[prefix] ?? prefix, text: readableFeatureText(name.slice(colon + 1)) };
}

/** "l:谢谢" → "customer's last turn “谢谢”", for reasons shown to people. */
export function describeFeature(name: string): string {
  const { block, text } = splitFeatureName(name);
  return name.startsWith('s:') ? text : `${block} “${text}”`;
}
