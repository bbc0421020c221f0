// node bin/run-ts.mjs scripts/bench/reply-csat-check.ts [--data ../shared/data/stc3-helpdesk]
// Does the reply-level `csat` scorer (server/scorers/csat.ts, as `firstcall eval --scorers csat`
// runs it) agree with people? On the STC-3 dialogues the built-in models never saw (the same
// held-out split they were trained without), each dialogue's LAST agent turn is the candidate reply
// and everything before it the case's history; the scorer's real score() gives the score. AUC vs
// satisfied (annotators' mean S > 0) per language with a 95% bootstrap interval, next to the
// reply's length and to the whole-dialogue csat model on the full dialogue (what `firstcall score`
// sees, including the customer's turns after the reply). Last line: one JSON object.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LANGUAGES } from '../../server/domain/dialogue.ts';
import type { SuiteCase } from '../../server/domain/eval.ts';
import { loadBuiltinModels } from '../../server/learn/builtin-models.ts';
import { splitById } from '../../server/learn/holdout-split.ts';
import { readStc3File, STC3_FILES } from '../../server/learn/stc3-dataset.ts';
import { bootstrapInterval } from '../../server/metrics/bootstrap.ts';
import { rocAuc } from '../../server/metrics/roc-auc.ts';
import { createScorers } from '../../server/scorers/registry.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { data: { type: 'string', default: resolve(root, '../shared/data/stc3-helpdesk') } } });
const started = performance.now();
const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
const [csat] = createScorers(['csat']);
const builtin = loadBuiltinModels();

const rows = [];
for (const language of LANGUAGES) {
  const { heldOut } = splitById(readStc3File(join(values.data!, STC3_FILES[language]), language));
  const reply: number[] = [];
  const length: number[] = [];
  const whole: number[] = [];
  const satisfied: boolean[] = [];
  let passed = 0;
  for (const d of heldOut) {
    const at = d.turns.findLastIndex((t) => t.role === 'agent');
    if (at < 0) continue;
    const c = { case_id: d.id, dialogue_id: d.id, language, history: d.turns.slice(0, at), customer_message: '' } as unknown as SuiteCase;
    const r = await csat!.score({ case: c, reply: d.turns[at]!.text, handoff: null, latency_ms: 0, model: 'logged:stc3' });
    reply.push(r.score);
    if (r.pass) passed++;
    length.push(d.turns[at]!.text.length);
    whole.push(builtin[language]!.csat!.score(d).probability);
    satisfied.push(d.meanS > 0);
  }
  const ci = bootstrapInterval(
    reply.map((_, i) => i),
    (s) => rocAuc(Array.from(s, (i) => reply[i]!), Array.from(s, (i) => satisfied[i]!)) ?? 0.5,
    { iterations: 2000, seed: 1 },
  );
  rows.push({
    language,
    dialogues: reply.length,
    satisfied: satisfied.filter(Boolean).length,
    reply_csat_auc: r3(rocAuc(reply, satisfied)),
    auc_ci: ci === null ? null : [r3(ci.low), r3(ci.high)],
    pass_rate: r3(passed / reply.length),
    reply_length_auc: r3(rocAuc(length, satisfied)),
    whole_dialogue_auc: r3(rocAuc(whole, satisfied)),
  });
}
for (const r of rows) {
  console.log(
    `${r.language}: reply-level csat AUC ${r.reply_csat_auc} [${r.auc_ci?.join(', ')}] vs satisfied on ${r.dialogues} held-out dialogues (${r.satisfied} satisfied); reply length ${r.reply_length_auc}; whole dialogue ${r.whole_dialogue_auc}; pass rate ${r.pass_rate}`,
  );
}
console.log(JSON.stringify({ bench: 'reply-csat', seconds: Math.round((performance.now() - started) / 100) / 10, results: rows }));
