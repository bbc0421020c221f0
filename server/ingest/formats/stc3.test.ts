import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeAgreement } from '../../services/agreement.ts';
import { openDatabase } from '../../storage/database.ts';
import { LabelRepository } from '../../storage/label-repository.ts';
import { ingestFiles } from '../ingest-service.ts';
import { detectFormat } from './registry.ts';
import { convertStc3Line } from './stc3.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'stc3-helpdesk');
const line = JSON.stringify({
  id: 42,
  turns: [
    { sender: 'customer', utterances: ['我的宽带又断了', '已经第三次了'] },
    { sender: 'helpdesk', utterances: ['亲，请私信您的账号，我们马上安排师傅上门'] },
  ],
  annotations: [
    { quality: { A: 1, S: 0, E: 1 }, nugget: [] },
    { quality: { A: -2, S: -2, E: -1 }, nugget: [] },
    { quality: { A: 0, S: 2, E: 0 }, nugget: [] },
  ],
});

describe('STC-3 importer', () => {
  it('turns a judged dialogue into a canonical dialogue and one reviewer label per annotator', () => {
    const [dialogue, ...labels] = convertStc3Line(3, line);
    expect(dialogue).toMatchObject({
      kind: 'dialogue',
      line: 3,
      value: {
        id: 'stc3-zh-42',
        language: 'zh',
        turns: [
          { role: 'customer', text: '我的宽带又断了\n已经第三次了' },
          { role: 'agent', text: '亲，请私信您的账号，我们马上安排师傅上门', agent_kind: 'human' },
        ],
        metadata: { dataset: 'stc3-helpdesk', stc3: { annotators: 3, a: -0.333, s: 0, e: 0 } },
      },
    });
    expect(labels.map((l) => l.kind === 'label' && l.value)).toEqual([
      expect.objectContaining({ dialogue_id: 'stc3-zh-42', reviewer: 'stc3-annotator-01', fcr: 'yes', csat: 3 }),
      expect.objectContaining({ reviewer: 'stc3-annotator-02', fcr: 'no', csat: 1 }),
      expect.objectContaining({ reviewer: 'stc3-annotator-03', fcr: 'unclear', csat: 5, notes: expect.stringMatching(/A 0, S 2, E 0/) }),
    ]);
  });

  it('quarantines a line whose turns are not STC-3 turns, with its reason', () => {
    const [bad] = convertStc3Line(7, JSON.stringify({ id: 1, turns: [{ sender: 'robot', utterances: ['x'] }], annotations: [] }));
    expect(bad).toMatchObject({ kind: 'bad', line: 7, reason: 'turns[0].sender must be customer or helpdesk' });
  });

  it('is detected from the file, and loads the real data with every annotator as a reviewer whose agreement can be computed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firstcall-stc3-'));
    try {
      const sample = readFileSync(join(DATA, 'stc3-dq-cn.jsonl'), 'utf8').split('\n').slice(0, 60).join('\n');
      const file = join(dir, 'sample.jsonl');
      writeFileSync(file, `${sample}\n${line.replace('"id":42', '"id":"broken"').replace('helpdesk', 'robot')}\n`);
      expect(detectFormat(sample.slice(0, 65536), file)).toBe('stc3');
      const db = await openDatabase(join(dir, 's.duckdb'));
      const summary = await ingestFiles(db, { paths: [file] });
      expect(summary.loaded).toBe(60);
      expect(summary.quarantined).toBe(1);
      expect(summary.labels).toBe(60 * 19);
      const labels = await new LabelRepository(db).submitted();
      expect(labels).toHaveLength(60 * 19);
      expect(new Set(labels.map((l) => l.reviewer)).size).toBe(19);
      const fcr = computeAgreement(labels).fields.find((f) => f.field === 'fcr')!;
      expect(fcr.units).toBe(60);
      expect(fcr.alpha).toBeGreaterThan(-1);
      expect(fcr.alpha).toBeLessThan(1);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
