// `firstcall scenarios build` and `firstcall simulate` on a generated store: scenario sets from the
// synthetic ground truth and the shipped YAML, conversation runs stored beside reply runs, the
// report's shape, --resume, the leaderboard and promotion of a conversation run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../server/domain/eval.ts';
import { ingestFiles } from '../server/ingest/ingest-service.ts';
import { promote } from '../server/services/promotion.ts';
import { RunService } from '../server/services/runs.ts';
import type { RunManager } from '../server/services/run-manager.ts';
import { simulate } from '../server/services/simulate.ts';
import { defaultProviderFor } from '../server/simulate/run-conversation.ts';
import { openDatabase } from '../server/storage/database.ts';
import { importSyntheticTruth } from '../server/synthetic/truth-labels.ts';
import { writeCorpus } from '../server/synthetic/write-corpus.ts';
import { tempDir } from '../server/test-support/temp.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  return { code: await main(argv, io), out, err };
}

const dir = tempDir();
const file = join(dir, 'store.duckdb');
const AGENT = 'evals/candidates/agent-empathetic.yaml';
const KB = 'evals/candidates/kb-concise.yaml';

beforeAll(async () => {
  const corpus = join(dir, 'synthetic.jsonl');
  await writeCorpus({ n: 400, seed: 42, out: corpus });
  const db = await openDatabase(file);
  await ingestFiles(db, { paths: [corpus] });
  await importSyntheticTruth(db);
  db.close();
}, 120_000);

interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

describe('firstcall scenarios build', () => {
  it('freezes test-split scenarios from the store and the YAML files into a versioned file, and keeps the version when nothing changed', async () => {
    const built = await run('scenarios', 'build', '--name', 'conv', '--db', file, '--dir', join(dir, 'sets'), '--json');
    expect(built.err).toBe('');
    expect(built.code).toBe(0);
    const info = JSON.parse(built.out);
    expect(info).toMatchObject({ name: 'conv', version: 1, created: true });
    expect(info.by_source.synthetic).toBeGreaterThan(10);
    expect(info.by_source.file).toBe(7);
    expect(existsSync(join(dir, 'sets', 'conv', 'v1.json'))).toBe(true);
    const again = JSON.parse((await run('scenarios', 'build', '--name', 'conv', '--db', file, '--dir', join(dir, 'sets'), '--json')).out);
    expect(again).toMatchObject({ version: 1, created: false, hash: info.hash });
    const onlyFiles = JSON.parse((await run('scenarios', 'build', '--name', 'files', '--no-synthetic', '--no-labeled', '--db', file, '--dir', join(dir, 'sets'), '--json')).out);
    expect(onlyFiles).toMatchObject({ scenarios: 7, by_source: { file: 7, synthetic: 0, labeled: 0 } });
    const zh = JSON.parse((await run('scenarios', 'build', '--name', 'zh', '--language', 'zh', '--db', file, '--dir', join(dir, 'sets'), '--json')).out);
    expect(zh.scenarios).toBeLessThan(info.scenarios);
    expect((await run('scenarios', 'list', '--db', file)).out).toMatch(/conv v1\s+\d+ scenarios/);
    expect((await run('scenarios', 'show', 'files', '--db', file)).out).toMatch(/screen-crack/);
  }, 60_000);
});

describe('firstcall simulate', () => {
  it('runs local:agent and a local:kb candidate with --trials 3 and prints goal success, FCR, pass^3 and turns with intervals', async () => {
    const json = join(dir, 'sim.json');
    const r = await run('simulate', '--scenarios', 'conv', '--candidate', AGENT, '--candidate', KB, '--trials', '3', '--db', file, '--json', json, '--junit', join(dir, 'sim.xml'), '--markdown', join(dir, 'sim.md'));
    expect(r.err).not.toContain('firstcall:');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/goal success\s+FCR\s+pass\^3\s+turns/);
    expect(r.out).toMatch(/agent-empathetic\s+local:agent\s+\d\.\d\d \[\d\.\d\d, \d\.\d\d\]/);
    expect(r.out).toMatch(/by language/);
    expect(r.out).toMatch(/by intent/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.candidates.map((c: { name: string }) => c.name)).toEqual(['agent-empathetic', 'kb-concise']);
    const interval = { mean: expect.any(Number), low: expect.any(Number), high: expect.any(Number), n: expect.any(Number) };
    for (const c of report.candidates) {
      expect(c).toMatchObject({ goal_success: interval, fcr: interval, pass_k: { k: 3, ...interval }, turns: interval });
      expect(c.goal_success.low).toBeLessThanOrEqual(c.goal_success.mean);
      expect(c.goal_success.high).toBeGreaterThanOrEqual(c.goal_success.mean);
      expect(Object.keys(c.by_language).sort()).toEqual(['en', 'zh']);
    }
    const [agent, kb] = report.candidates as { goal_success: Interval; fcr: Interval }[];
    expect(agent!.goal_success.mean).toBeGreaterThan(kb!.goal_success.mean + 0.3);
    expect(readFileSync(join(dir, 'sim.xml'), 'utf8')).toMatch(/<testsuite name="conv v1: agent-empathetic"/);
    expect(readFileSync(join(dir, 'sim.md'), 'utf8')).toMatch(/^## firstcall simulate: ✅ passed/);
    // The gate: exit 1 when a threshold is missed, 2 for an unknown metric.
    expect((await run('simulate', '--scenarios', 'files', '--candidate', KB, '--db', file, '--fail-under', 'goal_success=0.99', '--quiet')).code).toBe(1);
    expect((await run('simulate', '--scenarios', 'files', '--candidate', KB, '--db', file, '--fail-under', 'goal=0.5')).code).toBe(2);
  }, 120_000);

  it('scores a bot that transfers every customer visibly worse than local:agent', async () => {
    const db = await openDatabase(file);
    try {
      const transferAll: Provider = { id: 'test:transfer-all', generate: async () => ({ text: '[[handoff:human]] Let me pass you to a colleague.', model: 'transfer-all' }) };
      const base = defaultProviderFor();
      const { report } = await simulate(db, {
        scenarios: 'conv',
        candidates: [AGENT, KB],
        trials: 1,
        // The kb candidate's slot plays the transfer-everyone bot.
        providerFor: (candidate, sandbox) => (candidate.model === 'local:kb' ? transferAll : base(candidate, sandbox)),
      });
      const [agent, transfer] = report.candidates;
      expect(agent!.goal_success!.mean).toBeGreaterThan(transfer!.goal_success!.mean + 0.3);
      expect(agent!.goal_success!.low).toBeGreaterThan(transfer!.goal_success!.high!);
      expect(transfer!.escalation_accuracy!.mean).toBeLessThan(agent!.escalation_accuracy!.mean);
    } finally {
      db.close();
    }
  }, 60_000);

  it('--resume finishes only the missing conversations of a run', async () => {
    const first = JSON.parse(await runJson('simulate', '--scenarios', 'files', '--candidate', AGENT, '--trials', '2', '--db', file));
    const runId = first.candidates[0].run_id as string;
    const db = await openDatabase(file);
    try {
      // Lose three conversations, as a killed run would.
      await db.run("DELETE FROM conversation_results WHERE run_id = $id AND scenario_id IN (SELECT DISTINCT scenario_id FROM conversation_results WHERE run_id = $id ORDER BY 1 LIMIT 1)", { id: runId });
      await db.run("DELETE FROM conversation_results WHERE run_id = $id AND trial = 2 AND scenario_id = (SELECT max(scenario_id) FROM conversation_results WHERE run_id = $id)", { id: runId });
      const [row] = await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM conversation_results WHERE run_id = $id', { id: runId });
      expect(row?.n).toBe(14 - 3);
    } finally {
      db.close();
    }
    let ran = 0;
    const db2 = await openDatabase(file);
    try {
      const { report } = await simulate(db2, { scenarios: 'files', candidates: [AGENT], resume: runId, onProgress: (_c, _d, total) => (ran = total) });
      expect(ran).toBe(3);
      expect(report.candidates[0]).toMatchObject({ run_id: runId, conversations: 14 });
      expect(report.trials).toBe(2);
    } finally {
      db2.close();
    }
  }, 60_000);

  it('lists conversation runs on the leaderboard and promotes one through the gate', async () => {
    const db = await openDatabase(file);
    try {
      const runs = new RunService(db, {} as RunManager);
      const board = await runs.leaderboard('conv', 'conversation');
      expect(board.entries.map((e) => e.candidate_name)).toEqual(['agent-empathetic', 'kb-concise']);
      expect(board.entries.every((e) => e.kind === 'conversation')).toBe(true);
      expect(board.entries[0]!.summary?.conversation?.pass_k?.mean).toBeGreaterThan(0.5);
      const agentRun = board.entries[0]!.id;
      const conversations = await runs.conversations(agentRun);
      expect(conversations.conversations.length).toBeGreaterThan(30);
      const withTools = conversations.conversations.find((c) => c.tool_calls > 0)!;
      const detail = await runs.conversation(agentRun, withTools.scenario_id, withTools.trial);
      expect(detail.tool_calls[0]).toMatchObject({ name: expect.any(String), arguments: expect.any(Object) });
      expect(detail.expected).toHaveProperty('escalation');

      const first = await promote(db, { runId: agentRun, channel: 'web', by: 'test' });
      expect(first.decision.allowed).toBe(true);
      expect(first.decision.checks.map((c) => c.name)).toEqual(['enough_cases', 'quality_floor']);
      expect(first.decision.checks[1]!.detail).toMatch(/composite/);
      // The kb bot against the promoted agent on the same set: refused by the gate.
      const kbRun = board.entries[1]!.id;
      await expect(promote(db, { runId: kbRun, channel: 'web', by: 'test' })).rejects.toThrow(/refused by the gate/);
      const compared = await runs.compare(agentRun, kbRun);
      expect(compared.cases.length).toBe(board.suite.cases);
    } finally {
      db.close();
    }
  }, 60_000);
});

async function runJson(...argv: string[]): Promise<string> {
  const out = join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
  const r = await run(...argv, '--json', out, '--quiet');
  expect(r.code, r.err).toBe(0);
  return readFileSync(out, 'utf8');
}
