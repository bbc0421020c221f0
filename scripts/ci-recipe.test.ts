// The README's CI recipe, run as written: its recording lines against a local OpenAI-compatible
// server, then the GitHub Actions job's `run:` steps, read from the README itself, in a fresh folder
// holding only what a team's repository would (the candidates, the prompts, the labeled export).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startMockOpenAI, type MockOpenAIServer } from '../server/test-support/mock-openai-server.ts';
import { openDatabase } from '../server/storage/database.ts';
import { importSyntheticTruth } from '../server/synthetic/truth-labels.ts';
import { actionClaims } from '../server/text/action-claims.ts';
import { sentences } from '../server/text/text-match.ts';
import { main } from './cli.ts';

const REPO = join(import.meta.dirname, '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

interface Step {
  run?: string;
  env?: Record<string, string>;
}

/** The fenced block of `language` that follows `after` in the README's CI section. */
function block(language: string, after: string): string {
  const section = README.slice(README.indexOf('### In CI (GitHub Actions)'));
  const from = section.indexOf(after);
  expect(from, `README's CI section mentions "${after}"`).toBeGreaterThanOrEqual(0);
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section.slice(from));
  expect(match, `a \`\`\`${language} block after "${after}"`).not.toBeNull();
  return match![1]!;
}

function jobSteps(): Step[] {
  const workflow = parse(block('yaml', 'replays the recorded responses')) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(workflow.jobs)[0]!.steps.filter((s) => s.run !== undefined && s.run.trim() !== 'npm ci');
}

/** `npx firstcall …` and `firstcall …` run this checkout's CLI, as `npm ci` would install it. */
const PRELUDE = `firstcall() { node "${REPO}/bin/firstcall.mjs" "$@"; }
npx() { if [ "$1" = firstcall ]; then shift; firstcall "$@"; else command npx "$@"; fi; }
git() { :; }
`;

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', PRELUDE + script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** GitHub's `${{ secrets.X }}` is empty where the secret is not set (forks, this test). */
const stepEnv = (step: Step) => Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{\{[^}]*\}\}/g, '')]));

describe("the README's CI recipe", () => {
  let work: string;
  let model: MockOpenAIServer;
  const summary = () => join(work, 'step-summary.md');
  const env = () => ({ GITHUB_STEP_SUMMARY: summary(), FIRSTCALL_DB: '', PROMPTFOO_DISABLE_TELEMETRY: '1' });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'firstcall-ci-'));
    for (const dir of ['prompts', 'evals/candidates', 'evals/example']) cpSync(join(REPO, dir), join(work, dir), { recursive: true });
    // A model that knows the suite's reference answers, so a recorded run can pass the recipe's gate;
    // having no tools, it leaves out what the logged agents said they did ("I've refunded…"), which
    // accuracy holds against a candidate that took no action.
    model = await startMockOpenAI({
      handler: ({ body }) => {
        const suite = JSON.parse(readFileSync(join(work, 'evals/suites/support/v1.json'), 'utf8')) as { cases: { customer_message: string; reference_answer: string }[] };
        const messages = (body as { messages: { role: string; content: string }[] }).messages;
        const last = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
        const found = suite.cases.find((c) => last.includes(c.customer_message));
        if (!found) return undefined;
        // An answer that was nothing but actions becomes a hand-off to someone who can take them.
        const content =
          sentences(found.reference_answer)
            .filter((s) => actionClaims(s).length === 0)
            .join(' ') || "I'll pass you to a colleague who can do this for you. [[handoff:human]]";
        return { body: { id: 'r', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 50, completion_tokens: 40, total_tokens: 90 } } };
      },
    });
  });
  afterAll(async () => {
    await model?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('rebuilds the suite, replays the recorded responses with no key, passes and writes its reports', { timeout: 240_000 }, async () => {
    const [load, evaluate, summarize] = jobSteps();
    expect(load?.run).toMatch(/labels import/);
    expect(evaluate?.run).toMatch(/--cache replay/);

    const loaded = await bash(load!.run!, work, { ...env(), ...stepEnv(load!) });
    expect(loaded.out).toMatch(/imported 300 labels, rejected 0/);
    expect(loaded.code, loaded.out).toBe(0);
    expect(loaded.out).toMatch(/suite support v1: 30 cases/);

    // What the README says to do once, with a key: record the responses into a committed folder.
    const recorded = await bash(block('bash', "Record the model's responses once"), work, { ...env(), FIRSTCALL_OPENAI_BASE_URL: model.url });
    expect(recorded.code, recorded.out).toBe(0);
    expect(model.requests.length).toBeGreaterThanOrEqual(30);
    const calls = model.requests.length;

    const replayed = await bash(evaluate!.run!, work, { ...env(), ...stepEnv(evaluate!) });
    expect(replayed.code, replayed.out).toBe(0);
    expect(model.requests.length).toBe(calls);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as { status: string; candidates: { name: string }[] };
    expect(report.status).toBe('passed');
    expect(report.candidates.map((c) => c.name)).toEqual(['openai-empathetic']);
    expect(readFileSync(join(work, 'junit.xml'), 'utf8')).toMatch(/<testsuites/);

    const summarized = await bash(summarize!.run!, work, env());
    expect(summarized.code).toBe(0);
    expect(readFileSync(summary(), 'utf8')).toMatch(/firstcall eval: ✅ passed/);
  });

  it('fails with exit 3 (run incomplete), not a pass, when the recordings were not committed', { timeout: 240_000 }, async () => {
    const evaluate = jobSteps()[1]!;
    rmSync(join(work, 'evals/recorded'), { recursive: true, force: true });
    expect(existsSync(join(work, 'data/firstcall.duckdb'))).toBe(true);
    const replayed = await bash(evaluate.run!, work, { ...env(), ...stepEnv(evaluate) });
    expect(replayed.code, replayed.out).toBe(3);
    expect(replayed.out).toMatch(/run incomplete: 30 of 30 cases failed \(first error: openai:gpt-4o-mini: no recorded response/);
  });
});

describe('a labeled export travels to another store', () => {
  it('rebuilds the same suite (same hash) from exported dialogues, customers and gold labels', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firstcall-export-'));
    const io = { out: () => {}, err: () => {}, isTTY: false };
    const cli = async (...argv: string[]) => expect(await main(argv, io)).toBe(0);
    try {
      const [a, b] = [join(dir, 'a.duckdb'), join(dir, 'b.duckdb')];
      await cli('generate', '--n', '200', '--seed', '5', '--out', join(dir, 'gen.jsonl'));
      await cli('ingest', join(dir, 'gen.jsonl'), '--db', a);
      const db = await openDatabase(a);
      await importSyntheticTruth(db);
      db.close();
      await cli('export', 'dialogues', '--out', join(dir, 'd.jsonl'), '--db', a);
      await cli('export', 'customers', '--out', join(dir, 'c.jsonl'), '--db', a);
      await cli('labels', 'export', '--gold', '--out', join(dir, 'l.jsonl'), '--db', a);
      await cli('ingest', join(dir, 'd.jsonl'), join(dir, 'c.jsonl'), '--db', b);
      await cli('labels', 'import', join(dir, 'l.jsonl'), '--db', b);
      for (const store of [a, b]) await cli('suite', 'build', '--name', 's', '--db', store, '--dir', join(dir, store === a ? 'sa' : 'sb'));
      const hash = (sub: string) => (JSON.parse(readFileSync(join(dir, sub, 's', 'v1.json'), 'utf8')) as { hash: string }).hash;
      expect(hash('sb')).toBe(hash('sa'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
