// Learned scorers on a real store: labels from logged outcomes, fitting with a warm start, versions,
// resolveScorerModels, and whole-dialogue scoring (dialogues ending with the customer, hand-offs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALOGUE_SCORERS, dialogueHandoff, FCR_CAP_AFTER_HANDOFF, scoreLogs } from '../services/score-logs.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { readStc3File, STC3_FILES } from '../learn/stc3-dataset.ts';
import { DialogueScoreRepository } from '../storage/dialogue-score-repository.ts';
import { SHARED_DATA, tempDir, tempStore } from '../test-support/temp.ts';
import { importLabels } from './label-files.ts';
import { fitScorers, labelsOf, resolveScorerModels, WEAK_LABEL_WEIGHT } from './scorer-models.ts';

const stc3 = readStc3File(join(SHARED_DATA, 'stc3-helpdesk', STC3_FILES.zh), 'zh');
const csatOf = (meanS: number) => Math.min(5, Math.max(1, Math.round(meanS + 3)));

describe('labels for fitting', () => {
  const d = { id: 'd1', language: 'zh' as const, turns: [{ role: 'customer' as const, text: '你好' }] };
  it('takes gold first, then the logged outcome, and a repeat contact as a weak negative', () => {
    expect(labelsOf({ ...d, outcome: { resolved: true } }, { fcr: 'no', tone: null, accuracy: null, csat: null }, undefined).fcr).toMatchObject({ label: 0, weight: 1, source: 'gold' });
    expect(labelsOf({ ...d, outcome: { escalated: true } }, undefined, undefined).fcr).toMatchObject({ label: 0, source: 'outcome' });
    expect(labelsOf({ ...d, outcome: { resolved: true } }, undefined, { value: 'yes', repeat_dialogue_id: null }).fcr).toMatchObject({ label: 1, weight: 1 });
    expect(labelsOf({ ...d, outcome: { resolved: true } }, undefined, { value: 'no', repeat_dialogue_id: 'd2' }).fcr).toMatchObject({ label: 0, weight: WEAK_LABEL_WEIGHT, source: 'fcr_estimate' });
    const l = labelsOf({ ...d, outcome: { csat: 5 } }, { fcr: null, tone: 2, accuracy: 'partial', csat: 1 }, undefined);
    expect(l.csat).toMatchObject({ label: 1, positive: true, source: 'outcome' });
    expect(l.tone).toMatchObject({ label: 0.25, positive: false });
    expect(l.accuracy).toMatchObject({ label: 0.5, positive: false });
    expect(labelsOf({ ...d }, { fcr: null, tone: null, accuracy: null, csat: 4 }, undefined).csat).toMatchObject({ source: 'reviewer_csat', label: 0.75 });
  });
});

describe('scorers fit and whole-dialogue scoring on a store', async () => {
  const dir = tempDir();
  const db = await tempStore(dir);
  // 400 real judged dialogues with their satisfaction as logged CSAT, plus two of our own.
  const sample = stc3.slice(0, 400);
  const lines = sample.map((d) => ({ id: `stc-${d.id}`, language: 'zh', channel: 'weibo', turns: d.turns, outcome: { csat: csatOf(d.meanS) } }));
  lines.push({ id: 'ends-with-thanks', language: 'zh', channel: 'web', turns: [{ role: 'customer', text: '我的话费怎么多扣了20元？' }, { role: 'agent', text: '已为您核实，多扣的20元已退回，请查收。' }, { role: 'customer', text: '收到了，谢谢！' }], outcome: {} as never });
  lines.push({ id: 'handed-off', language: 'zh', channel: 'web', turns: [{ role: 'customer', text: '我要投诉，转人工' }, { role: 'agent', text: '好的，正在为您转人工客服，请稍候。' }, { role: 'tool', text: '{"queue":"complaints"}' } as never], outcome: { escalated: true } as never });
  const file = join(dir, 'dialogues.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  await ingestFiles(db, { paths: [file] });

  it('fits csat from logged CSAT with a warm start, stores a version with its card, and refits nothing when the labels are unchanged', async () => {
    const results = await fitScorers(db, { targets: ['csat', 'fcr'], languages: ['zh'], minPerSide: 20 });
    const csat = results.find((r) => r.target === 'csat')!;
    expect(csat.report.labels.total).toBe(400);
    expect(csat.report.warm_start).toBe('builtin');
    expect(csat.report.cv.current?.name).toBe('builtin');
    expect(csat.report.cv.fitted!.auc).toBeGreaterThan(0.75);
    expect(csat.report.cv.baselines.reply_length.auc).not.toBeNull();
    expect(csat.stored).toBe('zh-csat-v1');
    const fcr = results.find((r) => r.target === 'fcr')!;
    expect(fcr.stored).toBeNull();
    expect(fcr.report.reason).toMatch(/too few labels|not stored/);
    expect(fcr.in_use).toBe('builtin');

    const again = await fitScorers(db, { targets: ['csat'], languages: ['zh'], minPerSide: 20 });
    expect(again[0]!.stored).toBeNull();
    expect(again[0]!.report.reason).toMatch(/unchanged: zh-csat-v1/);
  });

  it('refuses to store a model with too few labels on a side, saying why', async () => {
    const [r] = await fitScorers(db, { targets: ['csat'], languages: ['zh'], minPerSide: 100_000, builtin: {} });
    expect(r!.stored).toBeNull();
    expect(r!.report.reason).toMatch(/unchanged|at least 100000 on each side/);
  });

  it('resolves latest, builtin and an id; an unknown id is a usage error listing the ids', async () => {
    const latest = await resolveScorerModels(db);
    expect(latest.sources.zh).toMatchObject({ csat: 'zh-csat-v1', fcr: 'builtin', tone: 'builtin' });
    expect((await resolveScorerModels(db, 'builtin')).sources.zh?.csat).toBe('builtin');
    expect((await resolveScorerModels(db, 'zh-csat-v1')).sources.zh?.csat).toBe('zh-csat-v1');
    await expect(resolveScorerModels(db, 'zh-csat-v9')).rejects.toThrow(/zh-csat-v1/);
  });

  it('judges whole dialogues, also ones ending with the customer, caps fcr after a hand-off, and stores the scores', async () => {
    const out = join(dir, 'scores.jsonl');
    const models = await resolveScorerModels(db);
    const result = await scoreLogs(db, { scorers: ['fcr', 'csat', 'tone', 'escalation'], out, models });
    expect(result.scored).toBe(402);
    const byId = new Map(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((j) => [j.dialogue_id, j]));
    const thanks = byId.get('ends-with-thanks');
    expect(thanks.scores.fcr).toBeGreaterThan(0.5);
    expect(thanks.reasons.fcr).toMatch(/strongest evidence for resolved/);
    expect(thanks.scores.csat).toBeGreaterThanOrEqual(0);
    expect(thanks.scores.tone).toBeGreaterThanOrEqual(0);
    const handed = byId.get('handed-off');
    expect(handed.scores.fcr).toBeLessThanOrEqual(FCR_CAP_AFTER_HANDOFF);
    expect(handed.reasons.fcr).toMatch(/handed to a human .*did not resolve it on first contact/);
    expect(handed.scores.escalation).toBe(1);
    const stored = await new DialogueScoreRepository(db).latestFor('ends-with-thanks');
    expect(stored.map((r) => r.scorer)).toEqual(['csat', 'escalation', 'fcr', 'tone']);
    expect(stored.find((r) => r.scorer === 'csat')!.method).toBe('learned:zh-csat-v1');
    expect(stored.find((r) => r.scorer === 'fcr')!.method).toBe('learned:builtin');
    expect(DIALOGUE_SCORERS).toContain('escalation');
  });

  it('tells a hand-off from the outcome, a marker, words or a transfer tool call', () => {
    expect(dialogueHandoff({ turns: [{ role: 'customer', text: 'hi' }], outcome: { escalated: true } })).toMatch(/logged outcome/);
    expect(dialogueHandoff({ turns: [{ role: 'agent', text: 'One moment [[handoff:billing]]' }] })).toMatch(/billing/);
    expect(dialogueHandoff({ turns: [{ role: 'tool', name: 'transfer_to_human_agents', text: 'ok' }] })).toMatch(/transfer_to_human_agents/);
    expect(dialogueHandoff({ turns: [{ role: 'agent', text: 'Glad I could help.' }] })).toBeNull();
  });

  it('imports labels with Chinese intents and a csat estimate (label schema v2), which csat fitting uses', async () => {
    const labels = join(dir, 'labels.jsonl');
    writeFileSync(labels, [
      JSON.stringify({ dialogue_id: 'ends-with-thanks', reviewer: 'alice', intent: '话费查询', fcr: 'yes', csat: 5 }),
      JSON.stringify({ dialogue_id: 'handed-off', reviewer: 'alice', intent: 'ｓｃｒｅｅｎ_repair', csat: 2 }),
      JSON.stringify({ dialogue_id: 'handed-off', reviewer: 'bob', intent: '话费 查询' }),
    ].join('\n'));
    const result = await importLabels(db, labels);
    expect(result.imported).toBe(2);
    expect(result.rejected[0]?.reason ?? JSON.stringify(result)).toMatch(/letters, digits and underscores/);
    const rows = await db.all<{ intent: string; csat: number; schema_version: number }>("SELECT intent, csat, schema_version FROM labels WHERE reviewer = 'alice' ORDER BY dialogue_id");
    expect(rows.map((r) => [r.intent, Number(r.csat), Number(r.schema_version)])).toEqual([['话费查询', 5, 2], ['screen_repair', 2, 2]]);
  });
});
