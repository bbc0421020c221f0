// `firstcall scorers fit|list`, `score --scorer-model` and `calibrate --scorer-model` through the CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../server/ingest/ingest-service.ts';
import { readStc3File, STC3_FILES } from '../server/learn/stc3-dataset.ts';
import { openDatabase } from '../server/storage/database.ts';
import { SHARED_DATA, tempDir } from '../server/test-support/temp.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (s) => void out.push(s), err: (s) => void err.push(s), isTTY: false };
  return { code: await main(argv, io), out: out.join('\n'), err: err.join('\n') };
}

describe('firstcall scorers and score --scorer-model', async () => {
  const dir = tempDir();
  const file = join(dir, 'store.duckdb');
  const stc3 = readStc3File(join(SHARED_DATA, 'stc3-helpdesk', STC3_FILES.zh), 'zh').slice(0, 300);
  const lines = stc3.map((d) => JSON.stringify({ id: `s-${d.id}`, language: 'zh', turns: d.turns, outcome: { csat: Math.min(5, Math.max(1, Math.round(d.meanS + 3))) } }));
  writeFileSync(join(dir, 'd.jsonl'), lines.join('\n'));
  const db = await openDatabase(file);
  await ingestFiles(db, { paths: [join(dir, 'd.jsonl')] });
  await db.run("INSERT INTO gold_labels (dialogue_id, decided_by, source, schema_version, fcr, tone_tags, reference_answer, required_facts, notes, turn_flags, decided_at) SELECT id, 'ada', 'import', 2, CASE WHEN csat >= 4 THEN 'yes' ELSE 'no' END, '[]', '', '[]', '', '[]', now() FROM dialogues LIMIT 40");
  db.close();

  it('fits, prints agreement next to the current model and baselines, stores a version and lists it', async () => {
    const text = await run('scorers', 'fit', '--db', file, '--targets', 'csat,fcr', '--language', 'zh', '--min-per-side', '10');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/fitted AUC/);
    expect(text.out).toMatch(/builtin/);
    expect(text.out).toMatch(/stored: 300 labels/);
    const list = await run('scorers', 'list', '--db', file, '--json');
    expect(JSON.parse(list.out).models.map((m: { id: string }) => m.id)).toContain('zh-csat-v1');
    expect((await run('scorers', 'fit', '--db', file, '--targets', 'nps')).code).toBe(2);
  });

  it('scores with the latest fitted model by default, the built-in on request, and rejects an unknown id', async () => {
    const out = join(dir, 'scores.jsonl');
    const latest = await run('score', '--db', file, '--out', out, '--json');
    expect(latest.code, latest.err).toBe(0);
    expect(JSON.parse(latest.out).models.zh.csat).toBe('zh-csat-v1');
    const line = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!);
    expect(Object.keys(line.scores).sort()).toEqual(['csat', 'escalation', 'fcr', 'tone']);
    expect(line.reasons.csat).toMatch(/strongest evidence/);
    const builtin = await run('score', '--db', file, '--out', out, '--scorer-model', 'builtin', '--json');
    expect(JSON.parse(builtin.out).models.zh.csat).toBe('builtin');
    const unknown = await run('score', '--db', file, '--out', out, '--scorer-model', 'zh-csat-v7');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/zh-csat-v1/);
  });

  it('calibrates a learned model against reviewers’ labels', async () => {
    const r = await run('calibrate', '--scorer', 'fcr', '--scorer-model', 'builtin', '--db', file, '--json');
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.method).toBe('learned:builtin');
    expect(report.n).toBeGreaterThan(0);
  });
});
