// Langfuse out, against the local Langfuse API server through the real @langfuse/client: a
// `langfuse://` candidate evaluates, push-scores puts one score per case and scorer on the trace the
// dialogue came from (and twice adds nothing), push-dataset writes items, and a promotion publishes
// production prompt versions and moves the label.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Suite, SuiteCase } from '../../server/domain/eval.ts';
import { loadCandidate } from '../../server/candidates/load-candidate.ts';
import { SCORE_NAME_PREFIX } from '../../server/interop/langfuse-export.ts';
import { evaluate } from '../../server/services/evaluate.ts';
import { pullFromLangfuse } from '../../server/services/langfuse.ts';
import { caseFromDialogue } from '../../server/services/suites.ts';
import { startTestLangfuseServer, type TestLangfuseServer } from '../../server/test-support/langfuse-server.ts';
import { tempDir } from '../../server/test-support/temp.ts';
import { DialogueRepository } from '../../server/storage/dialogue-repository.ts';
import { DialogueScoreRepository } from '../../server/storage/dialogue-score-repository.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { SuiteRepository } from '../../server/storage/suite-repository.ts';
import { exitCodeFor, runLocal, type AnyCommand } from '../command.ts';
import type { CommandIO } from '../io.ts';
import { langfusePublish, langfusePushDataset, langfusePushScores } from './langfuse.ts';
import { promoteCommand } from './promote.ts';

function capture(): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false, stdout: () => out, stderr: () => err };
}

async function run(command: AnyCommand, input: Record<string, unknown>): Promise<{ code: number; io: ReturnType<typeof capture> }> {
  const io = capture();
  try {
    return { code: await runLocal(command, input, io), io };
  } catch (error) {
    return { code: exitCodeFor(error, io), io };
  }
}

const dir = tempDir('firstcall-langfuse-out-');
const db = join(dir, 'store.duckdb');
let server: TestLangfuseServer;
let connection: { publicKey: string; secretKey: string; baseUrl: string };
let runId: string;
const pulled = ['langfuse-sess-zh-1', 'langfuse-sess-en-1', 'langfuse-tr-en-solo', 'langfuse-sess-zh-2'];

function useKeys() {
  vi.stubEnv('LANGFUSE_PUBLIC_KEY', server.publicKey);
  vi.stubEnv('LANGFUSE_SECRET_KEY', server.secretKey);
  vi.stubEnv('LANGFUSE_BASE_URL', server.url);
}

/** A Langfuse chat prompt written by a team, with firstcall's variables and one example pair. */
function seedTeamPrompt(version: number, labels: string[], extra = '') {
  server.prompts.push({
    name: 'support-bot',
    version,
    type: 'chat',
    prompt: [
      { role: 'system', content: `You are the support assistant of {{retailer}} on {{channel}}. Today is {{today}}. Reply in {{language}}.${extra}\n\nCustomer record:\n{{customer_profile}}\n\nPolicy:\n{{policy}}` },
      { role: 'user', content: 'Where is my parcel?' },
      { role: 'assistant', content: 'Let me check the tracking for you right away.' },
      { type: 'placeholder', name: 'conversation' },
    ],
    config: { model: 'gpt-4o-mini', temperature: 0 },
    labels,
    tags: [],
    commitMessage: null,
    createdAt: new Date().toISOString(),
  });
}

beforeAll(async () => {
  server = await startTestLangfuseServer();
  connection = { publicKey: server.publicKey, secretKey: server.secretKey, baseUrl: server.url };
  // The store: the production sessions pulled from Langfuse, plus one dialogue from a log file, as a suite.
  const store = await openDatabase(db);
  try {
    await pullFromLangfuse(store, connection, { environment: 'production' });
    const dialogues = new DialogueRepository(store);
    const cases: SuiteCase[] = [];
    for (const id of pulled) cases.push(caseFromDialogue((await dialogues.get(id))!, undefined, undefined)!);
    const logCase = { ...cases[3]!, case_id: 'log-web-1#2', dialogue_id: 'log-web-1' };
    cases.push(logCase);
    cases.sort((a, b) => a.case_id.localeCompare(b.case_id));
    const suite: Suite = {
      name: 'lf',
      version: 1,
      hash: createHash('sha256').update(JSON.stringify(cases)).digest('hex'),
      created_at: new Date().toISOString(),
      split: 'test',
      filters: { labeled_only: false },
      label_schema_version: 1,
      cases,
    };
    await new SuiteRepository(store).insert(suite);
    await new DialogueScoreRepository(store).insertMany([
      { dialogue_id: 'langfuse-sess-zh-1', scorer: 'fcr', method: 'offline', score: 0.9, pass: true, reason: '问题已解决，已创建维修单' },
      { dialogue_id: 'langfuse-tr-en-solo', scorer: 'tone', method: 'offline', score: 0.75, pass: true, reason: 'polite and direct' },
      { dialogue_id: 'log-web-1', scorer: 'fcr', method: 'offline', score: 0.2, pass: false, reason: 'escalated' },
    ]);
  } finally {
    store.close();
  }
  seedTeamPrompt(1, ['production', 'latest']);
});
afterAll(() => server.close());
afterEach(() => vi.unstubAllEnvs());

describe('a langfuse:// candidate', () => {
  it('loads the labeled prompt version as a template whose hash changes with a new version', async () => {
    const file = join(dir, 'lf-candidate.yaml');
    await writeFile(file, 'name: lf-team\nprompt: langfuse://support-bot@production\nmodel: replay:human\n');
    const first = await loadCandidate(file, { root: dir, langfuse: connection });
    expect(first.template.system.en).toContain('You are the support assistant of {{retailer}}');
    expect(first.template.few_shot).toEqual([{ language: 'en', customer: 'Where is my parcel?', agent: 'Let me check the tracking for you right away.' }]);
    expect((await loadCandidate(file, { root: dir, langfuse: connection })).hash).toBe(first.hash);

    seedTeamPrompt(2, ['staging']);
    server.prompts.find((p) => p.name === 'support-bot' && p.version === 2)!.prompt = [{ role: 'system', content: 'Be brief. Reply in {{language}}.' }];
    await writeFile(join(dir, 'lf-staging.yaml'), 'name: lf-staging\nprompt: langfuse://support-bot@staging\nmodel: replay:human\n');
    const staging = await loadCandidate(join(dir, 'lf-staging.yaml'), { root: dir, langfuse: connection });
    expect(staging.template.system.zh).toBe('Be brief. Reply in {{language}}.');
    expect(staging.hash).not.toBe(first.hash);
    const byVersion = join(dir, 'lf-v1.yaml');
    await writeFile(byVersion, 'name: lf-v1\nprompt: "langfuse://support-bot#1"\nmodel: replay:human\n');
    expect((await loadCandidate(byVersion, { root: dir, langfuse: connection })).hash).toBe(first.hash);
  });

  it('says which variables firstcall cannot fill, and which prompt is missing', async () => {
    server.prompts.push({ name: 'odd-bot', version: 1, type: 'text', prompt: 'Hi {{customer_name}}, you are on {{channel}}.', config: {}, labels: ['production', 'latest'], tags: [], commitMessage: null, createdAt: new Date().toISOString() });
    const file = join(dir, 'odd.yaml');
    await writeFile(file, 'name: odd\nprompt: langfuse://odd-bot\nmodel: replay:human\n');
    await expect(loadCandidate(file, { root: dir, langfuse: connection })).rejects.toThrow(/langfuse:\/\/odd-bot@production \(version 1\): system: unknown variable \{\{customer_name\}\}/);
    await writeFile(file, 'name: odd\nprompt: langfuse://no-such-bot@production\nmodel: replay:human\n');
    await expect(loadCandidate(file, { root: dir, langfuse: connection })).rejects.toThrow(/has no prompt no-such-bot labeled production/);
  });

  it('evaluates on a suite like any candidate', async () => {
    useKeys();
    const store = await openDatabase(db);
    try {
      const { report } = await evaluate(store, { suite: 'lf', candidates: [join(dir, 'lf-candidate.yaml')], root: dir, cache: 'off', gateUntrusted: true });
      const candidate = report.candidates[0]!;
      expect(candidate.name).toBe('lf-team');
      runId = candidate.run_id;
    } finally {
      store.close();
    }
    expect(runId).toBeTruthy();
  });
});

describe('firstcall langfuse push-scores', () => {
  it('posts one score per case and scorer on the trace the dialogue came from, and skips the case from a log file', async () => {
    useKeys();
    const before = server.scores.length;
    const { code, io } = await run(langfusePushScores, { db, run: runId, json: true });
    expect(io.stderr()).toMatch(/langfuse: \d+\/\d+ scores/);
    expect(code).toBe(0);
    const summary = JSON.parse(io.stdout());
    expect(summary).toMatchObject({ failed: 0, skipped: 1, skipped_examples: ['log-web-1#2'] });
    const pushed = server.scores.slice(before);
    expect(pushed).toHaveLength(summary.pushed);
    const scorers = new Set(pushed.map((s) => s.name));
    expect(pushed.length).toBe(4 * scorers.size);
    expect([...scorers].every((n) => n.startsWith(SCORE_NAME_PREFIX))).toBe(true);
    // The last trace of each session: the one holding the reply the case scores.
    expect(new Set(pushed.map((s) => s.traceId))).toEqual(new Set(['tr-zh-1b', 'tr-en-1b', 'tr-en-solo', 'tr-zh-2a']));
    const fcr = pushed.find((s) => s.name === `${SCORE_NAME_PREFIX}fcr` && s.traceId === 'tr-zh-1b')!;
    expect(fcr).toMatchObject({ source: 'API', dataType: 'NUMERIC', environment: 'production' });
    expect(typeof fcr.value).toBe('number');
    expect(fcr.comment).toBeTruthy();
    expect(fcr.metadata).toMatchObject({ firstcall_run: runId, case_id: expect.stringContaining('langfuse-sess-zh-1#') });
  });

  it('adds nothing new when pushed twice (same ids: updated in place)', async () => {
    useKeys();
    const before = server.scores.length;
    const { code, io } = await run(langfusePushScores, { db, run: runId });
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/^Pushed \d+ scores of run .*; 0 failed; 1 skipped/);
    expect(server.scores.length).toBe(before);
  });

  it('waits out a 429 and counts rejected scores: exit 3, never success', async () => {
    useKeys();
    server.rateLimitNext(1, 1);
    server.failNext(2);
    const { code, io } = await run(langfusePushScores, { db, run: runId, json: true });
    expect(code).toBe(3);
    expect(JSON.parse(io.stdout())).toMatchObject({ failed: 2 });
    expect(io.stderr()).toContain('2 of');
    expect(server.requests.some((r) => r.status === 429 && r.path === '/api/public/scores')).toBe(true);
  });

  it('--monitoring pushes the stored whole-dialogue scores of dialogues from Langfuse', async () => {
    useKeys();
    const { code, io } = await run(langfusePushScores, { db, monitoring: true, json: true });
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout())).toMatchObject({ pushed: 2, skipped: 1, skipped_examples: ['log-web-1'] });
    expect(server.scores.find((s) => s.name === 'firstcall.fcr' && s.traceId === 'tr-zh-1b' && s.comment === '问题已解决，已创建维修单')).toMatchObject({ value: 0.9 });
  });

  it('wants --run or --monitoring, not both', async () => {
    useKeys();
    expect((await run(langfusePushScores, { db })).code).toBe(2);
    const both = await run(langfusePushScores, { db, run: runId, monitoring: true });
    expect(both.code).toBe(2);
    expect(both.io.stderr()).toContain('--run RUN');
  });
});

describe('firstcall langfuse push-dataset', () => {
  it('creates the dataset and one item per case, linked to the source trace, and updates them when pushed again', async () => {
    useKeys();
    const { code, io } = await run(langfusePushDataset, { db, suite: 'lf' });
    expect(code).toBe(0);
    expect(io.stdout()).toContain('Dataset firstcall-lf-v1: 5 items from suite lf v1 (4 linked to their Langfuse trace); 0 failed');
    expect(server.datasets.map((d) => d.name)).toEqual(['firstcall-lf-v1']);
    const items = server.datasetItems.filter((i) => i.datasetName === 'firstcall-lf-v1');
    expect(items).toHaveLength(5);
    const zh = items.find((i) => (i.metadata as { case_id: string }).case_id.startsWith('langfuse-sess-zh-1#'))!;
    expect(zh.sourceTraceId).toBe('tr-zh-1b');
    expect(zh.metadata).toMatchObject({ language: 'zh', suite: 'lf', suite_version: 1 });
    // The conversation up to the customer's last message, as the suite holds it (redacted at ingest).
    const messages = (zh.input as { messages: Array<{ role: string; content: string }> }).messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[2]!.content).toContain('A1001');
    expect(zh.input).toMatchObject({ language: 'zh', channel: 'unknown', customer_message: messages[2]!.content });
    expect(JSON.stringify(zh.input)).not.toContain('13812345678');
    expect(zh.expectedOutput).toMatchObject({ reference_answer: expect.any(String), gold: { fcr: null } });

    expect((await run(langfusePushDataset, { db, suite: 'lf' })).code).toBe(0);
    expect(server.datasetItems).toHaveLength(5);
  });

  it('exits 2 for a suite that does not exist', async () => {
    useKeys();
    const { code, io } = await run(langfusePushDataset, { db, suite: 'nope' });
    expect(code).toBe(2);
    expect(io.stderr()).toContain('no suite nope');
  });
});

describe('promotion published to Langfuse', () => {
  it('--publish-langfuse creates production prompt versions per language, and a langfuse:// candidate of them has the promoted hash', async () => {
    useKeys();
    const { code, io } = await run(promoteCommand, { db, run: runId, channel: 'web', force: 'first config', publishLangfuse: true });
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toContain('langfuse: firstcall-web-zh v1, firstcall-web-en v1 labeled production');
    const en = server.prompts.find((p) => p.name === 'firstcall-web-en')!;
    expect(en).toMatchObject({ type: 'chat', labels: ['production', 'latest'] });
    expect(en.config).toMatchObject({ model: 'human', provider: 'replay', temperature: 0, firstcall: { language: 'en', run_id: runId } });
    expect((en.prompt as Array<{ role?: string; type?: string }>).at(-1)).toEqual({ type: 'placeholder', name: 'conversation' });

    // The same config published again adds no version.
    expect((await run(langfusePublish, { db, channel: 'web' })).io.stdout()).toContain('firstcall-web-en v1 (unchanged)');
    const restored = await loadCandidate(join(dir, 'lf-candidate.yaml'), { root: dir, langfuse: connection });
    await writeFile(join(dir, 'web-en.yaml'), 'name: web-en\nprompt: langfuse://firstcall-web-en@production\nmodel: replay:human\n');
    expect((await loadCandidate(join(dir, 'web-en.yaml'), { root: dir, langfuse: connection })).hash).toBe(restored.hash);
  });

  it('moves the production label to the new version when the prompt changes', async () => {
    useKeys();
    // An edit made in Langfuse (version 2, unlabeled), then firstcall publishes its config again.
    server.prompts.push({ ...server.prompts.find((p) => p.name === 'firstcall-web-en')!, version: 2, labels: ['latest'], prompt: [{ role: 'system', content: 'edited' }] });
    server.prompts.find((p) => p.name === 'firstcall-web-en' && p.version === 1)!.labels = ['production'];
    server.prompts.find((p) => p.name === 'firstcall-web-en' && p.version === 1)!.prompt = [{ role: 'system', content: 'drifted' }];
    const { code, io } = await run(langfusePublish, { db, channel: 'web', json: true });
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout()).prompts).toContainEqual({ name: 'firstcall-web-en', version: 3, created: true });
    const versions = server.prompts.filter((p) => p.name === 'firstcall-web-en').sort((a, b) => a.version - b.version);
    expect(versions.map((v) => v.labels)).toEqual([[], [], ['production', 'latest']]);
  });

  it('reports a failed publish with exit 3 and keeps the promotion', async () => {
    vi.stubEnv('LANGFUSE_PUBLIC_KEY', server.publicKey);
    vi.stubEnv('LANGFUSE_SECRET_KEY', 'sk-lf-wrong');
    vi.stubEnv('LANGFUSE_BASE_URL', server.url);
    const { code, io } = await run(promoteCommand, { db, run: runId, channel: 'app', force: 'pilot', publishLangfuse: true });
    expect(code).toBe(3);
    expect(io.stdout()).toContain('app production -> cfg-');
    expect(io.stderr()).toContain('promoted, but publishing the prompt to Langfuse failed');
    expect(io.stderr()).toContain('rejected the keys');
    expect(io.stderr()).not.toContain('sk-lf-wrong');
  });
});
