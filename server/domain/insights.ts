// Insights for team leads: the intent every dialogue carries (and where it came from), and candidate
// new topics found among the dialogues no known intent covers. No I/O.
import { z } from 'zod';
import { Language } from './dialogue.ts';
import { IntentKey, IntentNames } from './label.ts';

/** Where a dialogue's intent came from, strongest first: a reviewer's gold label, the logged metadata, a named topic, the classifier. */
export const INTENT_SOURCES = ['label', 'metadata', 'topic', 'classifier'] as const;
export const IntentSource = z.enum(INTENT_SOURCES);
export type IntentSource = z.infer<typeof IntentSource>;

export const DialogueIntent = z.object({
  dialogue_id: z.string(),
  /** Null when the classifier's confidence fell below the threshold: no known intent covers it. */
  intent: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  source: IntentSource,
  model_id: z.string().nullable(),
  assigned_at: z.string().optional(),
});
export type DialogueIntent = z.infer<typeof DialogueIntent>;

export const TOPIC_STATUSES = ['candidate', 'named', 'dismissed'] as const;
export const TopicStatus = z.enum(TOPIC_STATUSES);
export type TopicStatus = z.infer<typeof TopicStatus>;

export const TopicKeyTerm = z.object({ term: z.string(), score: z.number() });
export type TopicKeyTerm = z.infer<typeof TopicKeyTerm>;

export const TopicExample = z.object({ dialogue_id: z.string(), text: z.string() });
export type TopicExample = z.infer<typeof TopicExample>;

export const Topic = z.object({
  id: z.string(),
  language: Language,
  created_at: z.string(),
  size: z.number().int().min(0),
  /** Distinctive terms of the cluster (c-TF-IDF), strongest first. */
  key_terms: z.array(TopicKeyTerm),
  /** The dialogues closest to the cluster's centroid, with a snippet of the customer's words. */
  examples: z.array(TopicExample),
  status: TopicStatus,
  named_intent: z.string().nullable(),
});
export type Topic = z.infer<typeof Topic>;

export const TopicList = z.object({ topics: z.array(Topic) });
export type TopicList = z.infer<typeof TopicList>;

export const TopicIdParams = z.object({ id: z.string().min(1).max(200) });

/** An admin names a topic: the intent key (added to the taxonomy) and its display names. */
export const NameTopicBody = z.object({
  intent: IntentKey,
  names: IntentNames.optional(),
});
export type NameTopicBody = z.output<typeof NameTopicBody>;

export const NameTopicResult = z.object({
  topic: Topic,
  /** Member dialogues whose intent is now the topic's (those with a label or metadata intent keep theirs). */
  labeled: z.number().int().min(0),
});
export type NameTopicResult = z.infer<typeof NameTopicResult>;
