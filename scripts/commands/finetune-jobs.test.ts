import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockFineTuneServer, type MockFineTuneServer } from '../../server/test-support/mock-finetune-server.ts';
import { tempDir } from '../../server/test-support/temp.ts';
import type { CommandIO } from '../io.ts';
import { finetuneStatusCommand, finetuneSubmitCommand, resolveSetDir } from './finetune-jobs.ts';

function capture(): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false, stdout: () => out, stderr: () => err };
}

const root = tempDir('firstcall-ftcmd-');
const line = (q: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: 'ok' }] });
function writeSet(name: string, files: Record<string, string>): string {
  const folder = join(root, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), content);
  return folder;
}
writeSet('support', { 'train.jsonl': `${line('a')}\n${line('b')}\n${line('c')}\n`, 'val.jsonl': `${line('d')}\n`, 'card.json': '{}' });
writeSet('trainonly', { 'train.jsonl': `${line('a')}\n` });
writeSet('broken', { 'train.jsonl': 'not json\n' });

let server: MockFineTuneServer;
beforeAll(async () => {
  server = await startMockFineTuneServer();
});
afterAll(() => server.close());
const conn = () => ({ baseUrl: server.url, apiKey: server.apiKey ?? '' });

describe('finetune submit', () => {
  it('uploads the set from --dir/<set> and prints only the job id on stdout', async () => {
    const io = capture();
    expect(await finetuneSubmitCommand({ set: 'support', dir: root, model: 'gpt-4.1-mini', suffix: 'support', ...conn() }, io)).toBe(0);
    const jobId = io.stdout().trim();
    expect(jobId).toMatch(/^ftjob-[0-9a-f]+$/);
    expect(io.stderr()).toContain('3 training examples, 1 validation examples');
    const job = server.jobs.get(jobId);
    expect(job).toMatchObject({ model: 'gpt-4.1-mini', suffix: 'support' });
    expect(server.files.get(job?.validation_file ?? '')?.filename).toBe('val.jsonl');
  });

  it('accepts --dir pointing at the set folder itself, sends --epochs, and prints JSON with --json', async () => {
    const io = capture();
    expect(await finetuneSubmitCommand({ set: 'x', dir: join(root, 'trainonly'), model: 'gpt-4.1-mini', epochs: 2, json: true, ...conn() }, io)).toBe(0);
    const info = JSON.parse(io.stdout());
    expect(info).toMatchObject({ status: 'validating_files', validation_file: null, examples: { train: 1, val: 0 } });
    expect(server.jobs.get(info.job_id)?.body.method).toEqual({ type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } });
  });

  it('is a usage error without --set or --model, or for a set that was never built', async () => {
    await expect(finetuneSubmitCommand({ dir: root, model: 'm', ...conn() } as never, capture())).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('--set') });
    await expect(finetuneSubmitCommand({ set: 'support', dir: root, ...conn() } as never, capture())).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('--model') });
    await expect(finetuneSubmitCommand({ set: 'ghost', dir: root, model: 'm', ...conn() }, capture())).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('train.jsonl missing'),
    });
  });

  it("passes on the server's refusal of a malformed set, and a wrong key without echoing it", async () => {
    await expect(finetuneSubmitCommand({ set: 'broken', dir: root, model: 'm', ...conn() }, capture())).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Line 1 is not valid JSON'),
    });
    const error = await finetuneSubmitCommand({ set: 'support', dir: root, model: 'm', baseUrl: server.url, apiKey: 'sk-bad-secret-42' }, capture()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'usage', message: expect.stringContaining('check the API key') });
    expect((error as Error).message).not.toContain('sk-bad-secret-42');
  });

  it('defaults to data/finetune/<set> in the repository', () => {
    expect(resolveSetDir('support')).toMatch(/data[\\/]finetune[\\/]support$/);
  });
});

describe('finetune status', () => {
  it('prints one job until it succeeds, with the fine-tuned model and events, exiting 0', async () => {
    const submit = capture();
    await finetuneSubmitCommand({ set: 'support', dir: root, model: 'gpt-4.1-mini', suffix: 'v3', ...conn() }, submit);
    const jobId = submit.stdout().trim();
    const first = capture();
    expect(await finetuneStatusCommand({ job: jobId, ...conn() }, first)).toBe(0);
    expect(first.stdout()).toContain(`job ${jobId}: running`);
    const second = capture();
    expect(await finetuneStatusCommand({ job: jobId, json: true, ...conn() }, second)).toBe(0);
    const status = JSON.parse(second.stdout());
    expect(status).toMatchObject({ status: 'succeeded', fine_tuned_model: `ft:gpt-4.1-mini:firstcall:v3:${jobId.slice(-8)}` });
    const third = capture();
    await finetuneStatusCommand({ job: jobId, ...conn() }, third);
    expect(third.stdout()).toMatch(/fine-tuned\s+ft:gpt-4\.1-mini:firstcall:v3:/);
    expect(third.stdout()).toContain('The job has successfully completed');
  });

  it('lists recent jobs without --job', async () => {
    const io = capture();
    expect(await finetuneStatusCommand({ limit: 2, ...conn() }, io)).toBe(0);
    const lines = io.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain([...server.jobs.keys()].at(-1));
    const json = capture();
    await finetuneStatusCommand({ json: true, ...conn() }, json);
    expect(JSON.parse(json.stdout())).toHaveLength(server.jobs.size);
  });

  it('exits 1 when the job failed, showing its error', async () => {
    const failing = await startMockFineTuneServer({ outcome: () => 'failed' });
    try {
      const c = { baseUrl: failing.url, apiKey: failing.apiKey ?? '' };
      const submit = capture();
      await finetuneSubmitCommand({ set: 'support', dir: root, model: 'gpt-4.1-mini', ...c }, submit);
      const jobId = submit.stdout().trim();
      await finetuneStatusCommand({ job: jobId, ...c }, capture());
      const io = capture();
      expect(await finetuneStatusCommand({ job: jobId, ...c }, io)).toBe(1);
      expect(io.stdout()).toContain('error           invalid_training_file: The job failed due to an invalid training file.');
    } finally {
      await failing.close();
    }
  });

  it('is a usage error for a bad --base-url, and not_found for an unknown job', async () => {
    await expect(finetuneStatusCommand({ job: 'x', baseUrl: 'not a url', apiKey: 'k' }, capture())).rejects.toMatchObject({ code: 'usage' });
    await expect(finetuneStatusCommand({ job: 'ftjob-missing', ...conn() }, capture())).rejects.toMatchObject({ code: 'not_found' });
  });
});
