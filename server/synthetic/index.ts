// Seeded synthetic customer-service corpus (Chinese and English) with CRM profiles: the project's
// sample and benchmark data.
export { createRng, type Rng } from './rng.ts';
export { CorpusOptions, DEFAULT_NOW, dialogueId, generateCorpus, type CorpusItem } from './generate-corpus.ts';
export { writeCorpus, type WriteCorpusOptions, type WriteCorpusResult } from './write-corpus.ts';
export { GENERATOR } from './dialogue-builder.ts';
export { INTENTS, type AgentQuality, type Emotion, type Intent } from './scenario.ts';
