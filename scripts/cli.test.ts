import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS, SHARED_DATA, tempDir } from '../server/test-support/temp.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}

const dir = tempDir();
const db = (name: string) => join(dir, `${name}.duckdb`);

describe('firstcall ingest', () => {
  const corrupted = join(dir, 'tau-corrupted.jsonl');
  const lines = readFileSync(join(SHARED_DATA, 'tau-bench-retail', 'retail-dialogues.jsonl'), 'utf8').trim().split('\n').slice(0, 10);
  lines.splice(3, 0, '{"messages_display": "user: hi\\nassistant: hello"'); // truncated JSON: line 4
  lines.splice(7, 0, '{"messages_display": 42}'); // wrong type: line 8
  writeFileSync(corrupted, `${lines.join('\n')}\n`);

  it('prints one JSON object with loaded, quarantined, duplicates and redacted, and exits 0 despite bad lines', async () => {
    const { code, out } = await run('ingest', corrupted, '--db', db('a'), '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({ loaded: 10, quarantined: 2, duplicates: 0 });
    expect(summary.redacted).toEqual(expect.any(Object));
    expect(summary.files[0].format).toBe('taubench');
  });

  it('adds nothing on a second run and exits 1 with --strict when something was quarantined', async () => {
    const { code, out } = await run('ingest', corrupted, '--db', db('a'), '--json', '--strict');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ loaded: 0, duplicates: 10, quarantined: 2 });
  });

  it('lists the quarantined records with file, line and reason', async () => {
    const { code, out } = await run('quarantine', '--db', db('a'), '--json');
    expect(code).toBe(0);
    const rows = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.file === corrupted).map((r) => r.line).sort()).toEqual([4, 4, 8, 8]);
    expect(rows.find((r) => r.line === 4).reason).toContain('invalid JSON');
  });

  it('exits 2 with a usage message for an unknown format, a missing file or no file', async () => {
    expect((await run('ingest', corrupted, '--format', 'xml', '--db', db('b'))).code).toBe(2);
    const missing = await run('ingest', join(dir, 'nope.jsonl'), '--db', db('b'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
    expect((await run('ingest', '--db', db('b'))).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('prints a readable summary without --json', async () => {
    const { code, out } = await run('ingest', join(DATASETS, 'abcd-sample', 'abcd_sample.json'), '--db', db('c'));
    expect(code).toBe(0);
    expect(out).toMatch(/loaded\s+3 dialogues/);
    expect(out).toContain('[abcd]');
  });
});

describe('firstcall stats and export', () => {
  it('reports counts by language and channel as JSON', async () => {
    await run('ingest', join(DATASETS, 'bitext-customer-support', 'bitext-sample.csv'), '--db', db('s'));
    const { code, out } = await run('stats', '--db', db('s'), '--json');
    expect(code).toBe(0);
    const stats = JSON.parse(out);
    expect(stats).toMatchObject({ dialogues: 216, turns: 432, customers: 0, quarantined: 0, by_language: { en: 216 }, by_channel: { unknown: 216 } });
  });

  it('exports canonical JSONL that ingests into a new store with the same stats', async () => {
    const out = join(dir, 'export.jsonl');
    expect((await run('export', 'dialogues', '--out', out, '--db', db('s'))).code).toBe(0);
    expect((await run('ingest', out, '--db', db('s2'), '--json')).code).toBe(0);
    const a = JSON.parse((await run('stats', '--db', db('s'), '--json')).out);
    const b = JSON.parse((await run('stats', '--db', db('s2'), '--json')).out);
    expect({ ...b, by_source: a.by_source, ingest_batches: 0 }).toEqual({ ...a, ingest_batches: 0 });
  });

  it('requires --out for export', async () => {
    expect((await run('export', 'dialogues', '--db', db('s'))).code).toBe(2);
  });
});

describe('a command on a store whose serve was killed', () => {
  it('stores the exchanges the killed serve answered (its journal) before it reads anything', async () => {
    await run('stats', '--db', db('crashed'), '--json'); // creates the store
    const journal = `${db('crashed')}.exchange-journal`;
    if (!existsSync(journal)) mkdirSync(journal);
    const exchange = { id: 'prod-web-crash', channel: 'web', customerId: null, language: 'en', turns: [{ role: 'customer', text: 'Where is my parcel?' }, { role: 'agent', text: 'It is on its way.', agent_kind: 'bot' }], escalated: false, metadata: {} };
    writeFileSync(join(journal, '000000000000.jsonl'), `${JSON.stringify({ exchange, caller: { keyId: 'key-1', channel: 'web' }, continues: false, startedAt: '2026-12-06T10:00:00.000Z' })}\n`);
    const { code, out } = await run('stats', '--db', db('crashed'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ dialogues: 1, turns: 2 });
    expect(readdirSync(journal)).toEqual([]);
  });
});

describe('firstcall generate', () => {
  it('writes the same file for the same seed', async () => {
    const a = join(dir, 'g1.jsonl');
    const b = join(dir, 'g2.jsonl');
    expect((await run('generate', '--n', '50', '--seed', '3', '--out', a)).code).toBe(0);
    await run('generate', '--n', '50', '--seed', '3', '--out', b);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect((await run('generate', '--n', 'many', '--out', a)).code).toBe(2);
  });
});

describe('firstcall keys and labels', () => {
  it('creates a key and prints it as {"key": …}', async () => {
    const { code, out } = await run('keys', 'create', '--role', 'reviewer', '--name', 'alice', '--db', db('k'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ key: expect.stringMatching(/^fc_reviewer_/), role: 'reviewer', name: 'alice' });
    expect((await run('keys', 'create', '--role', 'overlord', '--db', db('k'))).code).toBe(2);
  });

  it('imports labels from JSONL, rejects bad lines with their line numbers, and exports them again', async () => {
    await run('ingest', join(DATASETS, 'abcd-sample', 'abcd_sample.json'), '--db', db('l'));
    const file = join(dir, 'labels.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ dialogue_id: 'abcd-3592', reviewer: 'alice', fcr: 'no', accuracy: 'correct', tone: 4, intent: 'product_defect' }),
        JSON.stringify({ dialogue_id: 'abcd-3592', reviewer: 'bob', fcr: 'maybe' }),
        JSON.stringify({ dialogue_id: 'nope', reviewer: 'bob', fcr: 'yes' }),
        '{broken',
      ].join('\n'),
    );
    const imported = await run('labels', 'import', file, '--db', db('l'), '--json');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.out);
    expect(result.imported).toBe(1);
    expect(result.rejected.map((r: { line: number }) => r.line)).toEqual([2, 3, 4]);
    expect(result.rejected[1].reason).toContain('no dialogue nope');

    const out = join(dir, 'labels-out.jsonl');
    expect((await run('labels', 'export', '--out', out, '--db', db('l'))).code).toBe(0);
    const exported = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ dialogue_id: 'abcd-3592', reviewer: 'alice', fcr: 'no', tone: 4, status: 'submitted' });
  });
});

describe('firstcall labels import that imports nothing', () => {
  it('exits 2 with the reason for a missing file', async () => {
    const r = await run('labels', 'import', join(dir, 'no-such-labels.jsonl'), '--db', db('l0'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^firstcall: cannot read .*no-such-labels\.jsonl: ENOENT/m);
  });

  it('exits 3 with the reason when every line is rejected, or the file is empty', async () => {
    await run('ingest', join(DATASETS, 'abcd-sample', 'abcd_sample.json'), '--db', db('l1'));
    const bad = join(dir, 'all-bad-labels.jsonl');
    writeFileSync(bad, [JSON.stringify({ dialogue_id: 'nope', reviewer: 'bob', fcr: 'yes' }), '{broken'].join('\n'));
    const r = await run('labels', 'import', bad, '--db', db('l1'));
    expect(r.code).toBe(3);
    expect(r.out).toContain('imported 0 labels, rejected 2');
    expect(r.err).toContain('firstcall: nothing imported: all 2 lines of');
    expect(r.err).toContain('(first: line 1: no dialogue nope in the store)');
    const empty = join(dir, 'empty-labels.jsonl');
    writeFileSync(empty, '');
    const e = await run('labels', 'import', empty, '--db', db('l1'), '--json');
    expect(e.code).toBe(3);
    expect(JSON.parse(e.out)).toEqual({ imported: 0, rejected: [] });
    expect(e.err).toContain('holds no labels');
  });
});

describe('exit codes', () => {
  it('are one table with four distinct codes, listed in the help', async () => {
    const { EXIT } = await import('./io.ts');
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, incomplete: 3, busy: 4 });
    const help = await run('--help');
    expect(help.out).toContain('exit codes: 0 passed, 1 a check failed (quality gate, --strict, promotion refused), 2 usage or configuration error, 3 incomplete');
    expect((await run('eval', '--help')).out).toMatch(/3 run\s+incomplete/);
  });

  it('never maps a crash to 0 or to "quality gate failed"', async () => {
    const { exitCodeFor } = await import('./cli.ts');
    const { AppError } = await import('../server/domain/errors.ts');
    const io = { out: () => {}, err: () => {}, isTTY: false };
    expect(exitCodeFor(new Error('boom'), io)).toBe(3);
    expect(exitCodeFor(new AppError('internal', 'boom'), io)).toBe(3);
    expect(exitCodeFor(new AppError('not_found', 'no run x'), io)).toBe(2);
    expect(exitCodeFor(new AppError('conflict', 'refused'), io)).toBe(1);
  });
});

describe('firstcall demo', () => {
  it('loads the shipped sample data and prints the stats without serving when asked', async () => {
    const { code, out } = await run('demo', '--db', db('demo'), '--no-serve');
    expect(code).toBe(0);
    expect(out).toMatch(/quarantined\s+0/);
    expect(out).toMatch(/by language\s+.*zh/);
    // Whole conversations: the leaderboard of local:agent and local:kb, and local:agent promoted through the gate.
    expect(out).toMatch(/goal success\s+FCR\s+pass\^3\s+turns/);
    expect(out).toMatch(/agent-empathetic\s+local:agent\s+\d\.\d\d \[/);
    expect(out).toMatch(/kb-empathetic\s+local:kb\s+\d\.\d\d \[/);
    expect(out).toMatch(/promoted agent-empathetic \(local:agent, conversation run conv-[\w-]+\) to production on web, app, wechat, phone/);
    expect(out).toMatch(/pass {2}quality_floor/);
    const stats = JSON.parse((await run('stats', '--db', db('demo'), '--json')).out);
    expect(stats.by_source).toMatchObject({ bitext: 216, taubench: 20, abcd: 3, dstc11: 152 });
    expect(stats.by_language.zh).toBeGreaterThan(100);
  });
});
