// npm run bench:validity [-- --data ../shared/data/stc3-helpdesk]
// Do the learned whole-dialogue scorers agree with people? Trains on the training part of STC-3,
// scores the held-out dialogues it never saw (split by dialogue id, the same in both languages) and
// prints AUC and Spearman per language next to baselines: reply length, hand-off alone and the
// phrase-list scorers (server/scorers fcr.ts and tone.ts on the last agent reply). Then a domain
// transfer check: telecom ↔ everything else. Last line: JSON of every figure.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Language, Turn } from '../../server/domain/dialogue.ts';
import type { ScoreInput, SuiteCase } from '../../server/domain/eval.ts';
import { DEFAULT_FIT_OPTIONS, evaluateScores, fitStc3Model, lastAgentReplyLength, RECIPES } from '../../server/learn/fit-stc3.ts';
import { splitById } from '../../server/learn/holdout-split.ts';
import { bootstrapInterval } from '../../server/metrics/bootstrap.ts';
import { rocAuc } from '../../server/metrics/roc-auc.ts';
import type { HeldOut, LearnedTarget } from '../../server/learn/learned-model.ts';
import { readStc3File, STC3_FILES, type JudgedDialogue } from '../../server/learn/stc3-dataset.ts';
import { analyzeFcr } from '../../server/scorers/fcr.ts';
import { textualHandoff } from '../../server/scorers/handoff.ts';
import { analyzeTone } from '../../server/scorers/tone.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { data: { type: 'string', default: resolve(root, '../shared/data/stc3-helpdesk') } } });

const GOALS: Record<Language, Partial<Record<LearnedTarget, number>>> = { zh: { fcr: 0.86, csat: 0.88 }, en: { fcr: 0.8, csat: 0.84 } };
const started = performance.now();

/** The last agent reply as a suite case, so the reply-level phrase-list scorers can read it. */
function lastReplyInput(d: JudgedDialogue): ScoreInput | null {
  const at = d.turns.findLastIndex((t) => t.role === 'agent');
  if (at < 0) return null;
  const history: Turn[] = d.turns.slice(0, at);
  const c: SuiteCase = {
    case_id: `${d.id}#${at}`,
    dialogue_id: d.id,
    history,
    customer_message: history.filter((t) => t.role === 'customer').at(-1)?.text ?? '',
    customer: null,
    contact_date: '2017-01-01',
    reference_answer: '',
    required_facts: [],
    expected_escalation: false,
    intent: null,
    language: d.language,
    channel: 'weibo',
    human_reply: d.turns[at]!.text,
    gold: { fcr: null, accuracy: null, tone: null },
  };
  return { case: c, reply: d.turns[at]!.text, handoff: null, latency_ms: 0, model: 'replay:human' };
}

const phraseFcr = (d: JudgedDialogue) => {
  const input = lastReplyInput(d);
  return input === null ? 0 : analyzeFcr(input).score;
};
const phraseTone = (d: JudgedDialogue) => {
  const input = lastReplyInput(d);
  return input === null ? 0 : analyzeTone(input).score;
};
const noHandoff = (d: JudgedDialogue) => (d.turns.some((t) => t.role === 'agent' && textualHandoff(t.text) !== null) ? 0 : 1);

/** STC-3 has no domain field: a dialogue is "telecom" when its first Chinese customer turn names a carrier. */
const TELECOM = /电信|联通|移动|10086|10010|10000/;

interface Row {
  language: Language;
  target: LearnedTarget;
  learned: HeldOut;
  /** 95% percentile-bootstrap interval of the learned AUC (dialogues resampled, seed 1). */
  auc_ci: [number, number] | null;
  uncompressed: HeldOut | null;
  baselines: Record<string, HeldOut>;
  goal_auc?: number;
}

const rows: Row[] = [];
const transfer: Array<{ language: Language; target: LearnedTarget; train_domain: string; test_domain: string; train_dialogues: number; cross: HeldOut; in_domain: HeldOut }> = [];
const zhDialogues = readStc3File(join(values.data, STC3_FILES.zh), 'zh');
const telecomIds = new Set(zhDialogues.filter((d) => TELECOM.test(d.turns[0]?.text ?? '')).map((d) => d.id));

for (const language of ['zh', 'en'] as const) {
  const dialogues = language === 'zh' ? zhDialogues : readStc3File(join(values.data, STC3_FILES.en), 'en');
  const { train, heldOut } = splitById(dialogues, DEFAULT_FIT_OPTIONS.heldOutShare, DEFAULT_FIT_OPTIONS.salt);
  console.log(`\n${language}: ${dialogues.length} dialogues, trained on ${train.length}, held out ${heldOut.length} (${heldOut.filter((d) => d.meanA > 0).length} solved, ${heldOut.filter((d) => d.meanS > 0).length} satisfied)`);
  for (const target of ['fcr', 'csat', 'tone'] as const) {
    const recipe = RECIPES[target];
    const { model, uncompressed } = fitStc3Model(language, recipe, train, heldOut);
    const baselines: Record<string, HeldOut> = {
      reply_length: evaluateScores(heldOut.map(lastAgentReplyLength), heldOut, recipe),
      no_handoff: evaluateScores(heldOut.map(noHandoff), heldOut, recipe),
      phrase_fcr: evaluateScores(heldOut.map(phraseFcr), heldOut, recipe),
      phrase_tone: evaluateScores(heldOut.map(phraseTone), heldOut, recipe),
    };
    const scores = heldOut.map((d) => model.score(d).logit);
    const positive = heldOut.map(recipe.positive);
    const ci = bootstrapInterval(
      heldOut.map((_, i) => i),
      (sample) => rocAuc(Array.from(sample, (i) => scores[i]!), Array.from(sample, (i) => positive[i]!)) ?? 0.5,
      { iterations: 2000, seed: 1 },
    );
    const aucCi: [number, number] | null = ci === null ? null : [Math.round(ci.low * 1000) / 1000, Math.round(ci.high * 1000) / 1000];
    rows.push({ language, target, learned: model.file.card.held_out, auc_ci: aucCi, uncompressed, baselines, ...(GOALS[language][target] !== undefined ? { goal_auc: GOALS[language][target] } : {}) });
  }

  // Domain transfer: train on one domain's training dialogues, test on the other domain's held-out ones,
  // next to a model trained on the test domain's own training dialogues.
  const domainOf = (d: JudgedDialogue) => (telecomIds.has(d.id) ? 'telecom' : 'other');
  for (const target of ['fcr', 'csat'] as const) {
    for (const [from, to] of [['telecom', 'other'], ['other', 'telecom']] as const) {
      const trainFrom = train.filter((d) => domainOf(d) === from);
      const trainTo = train.filter((d) => domainOf(d) === to);
      const test = heldOut.filter((d) => domainOf(d) === to);
      const cross = fitStc3Model(language, RECIPES[target], trainFrom, test).model.file.card.held_out;
      const inDomain = fitStc3Model(language, RECIPES[target], trainTo, test).model.file.card.held_out;
      delete cross.baseline;
      delete inDomain.baseline;
      transfer.push({ language, target, train_domain: from, test_domain: to, train_dialogues: trainFrom.length, cross, in_domain: inDomain });
    }
  }
}

const f = (x: number | null | undefined) => (x == null ? '  –  ' : x.toFixed(3));
console.log('\nAgreement with the 19 STC-3 annotators on held-out dialogues (AUC vs solved/satisfied; rho vs mean A/S)');
console.log('lang target  learned AUC [95% CI]     rho    | reply length AUC rho | no hand-off AUC rho | phrase fcr AUC rho | phrase tone AUC rho | goal');
for (const r of rows) {
  const b = r.baselines;
  const goal = r.goal_auc === undefined ? '' : `AUC ≥ ${r.goal_auc.toFixed(2)}: ${r.learned.auc !== null && r.learned.auc >= r.goal_auc ? 'met' : 'NOT MET'}`;
  console.log(
    `${r.language}   ${r.target.padEnd(6)}  ${f(r.learned.auc)} [${f(r.auc_ci?.[0])}, ${f(r.auc_ci?.[1])}]  ${f(r.learned.spearman)}  |  ${f(b.reply_length!.auc)} ${f(b.reply_length!.spearman)}  |  ${f(b.no_handoff!.auc)} ${f(b.no_handoff!.spearman)}  |  ${f(b.phrase_fcr!.auc)} ${f(b.phrase_fcr!.spearman)}  |  ${f(b.phrase_tone!.auc)} ${f(b.phrase_tone!.spearman)}  | ${goal}`,
  );
}
console.log('(learned = the shipped form: pruned to ≤ 12k weights and quantised; full-precision figures are in the JSON as uncompressed)');
console.log('\nDomain transfer (train on one domain, test on the other domain’s held-out dialogues)');
console.log('lang target  train → test        n train  cross AUC  rho    | in-domain AUC  rho');
for (const t of transfer) {
  console.log(`${t.language}   ${t.target.padEnd(6)}  ${`${t.train_domain} → ${t.test_domain}`.padEnd(18)}  ${String(t.train_dialogues).padStart(6)}   ${f(t.cross.auc)}     ${f(t.cross.spearman)} |  ${f(t.in_domain.auc)}     ${f(t.in_domain.spearman)}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`\n${seconds.toFixed(1)} s`);
console.log(JSON.stringify({ bench: 'validity', seconds: Math.round(seconds * 10) / 10, results: rows, domain_transfer: transfer }));
