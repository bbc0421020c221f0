// NTCIR-14 STC-3 dialogue-quality data (Weibo helpdesk dialogues, 19 annotators each) read into the
// canonical turn shape with the annotators' mean judgements, for training and checking learned scorers.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Language, Turn } from '../domain/dialogue.ts';

const Judgement = z.number().int().min(-2).max(2);
const Stc3Line = z.object({
  id: z.string().min(1),
  turns: z.array(z.object({ sender: z.enum(['customer', 'helpdesk']), utterances: z.array(z.string()) })).min(1),
  annotations: z.array(z.object({ quality: z.object({ A: Judgement, S: Judgement, E: Judgement }) })).min(1),
});

export interface JudgedDialogue {
  id: string;
  language: Language;
  turns: Turn[];
  /** Annotators' mean judgements, each −2..2: A task accomplished (problem solved), S satisfaction, E effectiveness. */
  meanA: number;
  meanS: number;
  meanE: number;
  /** Share of annotators who judged A (or S) above 0. */
  shareA: number;
  shareS: number;
}

export function parseStc3Line(line: string, language: Language): JudgedDialogue {
  const raw = Stc3Line.parse(JSON.parse(line));
  const turns: Turn[] = raw.turns
    .map((t) => ({ role: t.sender === 'customer' ? ('customer' as const) : ('agent' as const), text: t.utterances.join('\n').trim() }))
    .filter((t) => t.text !== '');
  const q = raw.annotations.map((a) => a.quality);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    id: raw.id,
    language,
    turns,
    meanA: mean(q.map((x) => x.A)),
    meanS: mean(q.map((x) => x.S)),
    meanE: mean(q.map((x) => x.E)),
    shareA: mean(q.map((x) => (x.A > 0 ? 1 : 0))),
    shareS: mean(q.map((x) => (x.S > 0 ? 1 : 0))),
  };
}

export function readStc3File(path: string, language: Language): JudgedDialogue[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => parseStc3Line(line, language));
}

/** The STC-3 file names in the shared data folder. */
export const STC3_FILES: Readonly<Record<Language, string>> = { zh: 'stc3-dq-cn.jsonl', en: 'stc3-dq-en.jsonl' };

/** sha256 over ids, judgements and text in order: which data a model was trained on. */
export function hashJudgedDialogues(dialogues: readonly JudgedDialogue[]): string {
  const h = createHash('sha256');
  for (const d of dialogues) {
    h.update(JSON.stringify([d.id, d.meanA, d.meanS, d.meanE, d.turns.map((t) => [t.role, t.text])]));
    h.update('\n');
  }
  return h.digest('hex');
}
