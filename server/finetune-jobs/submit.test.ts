import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import { tempDir } from '../test-support/temp.ts';
import { startMockFineTuneServer, type MockFineTuneServer } from '../test-support/mock-finetune-server.ts';
import { getFineTuneStatus, listFineTunes } from './status.ts';
import { submitFineTune } from './submit.ts';

const dir = tempDir('firstcall-ftjobs-');
const example = (q: string, a: string) =>
  JSON.stringify({ messages: [{ role: 'system', content: 'You are a helpful agent.' }, { role: 'user', content: q }, { role: 'assistant', content: a }] });
const trainPath = join(dir, 'train.jsonl');
const valPath = join(dir, 'val.jsonl');
// Non-ASCII on purpose: the bytes must survive the multipart round trip.
writeFileSync(trainPath, `${example('Où est ma commande ?', 'Elle arrive demain.')}\n${example('Refund please', 'Done — 3–5 days.')}\n`);
writeFileSync(valPath, `${example('Cancel my order', 'Cancelled.')}\n`);

let server: MockFineTuneServer;
const env = {};
beforeAll(async () => {
  server = await startMockFineTuneServer();
});
afterAll(() => server.close());
const conn = () => ({ baseURL: server.url, apiKey: server.apiKey ?? undefined, env });

describe('submitFineTune', () => {
  it('uploads both files byte for byte and creates a job with the model, suffix and hyperparameters', async () => {
    const submitted = await submitFineTune({ ...conn(), trainPath, valPath, model: 'gpt-4.1-mini', suffix: 'support-v1', hyperparameters: { n_epochs: 3 } });
    expect(submitted).toMatchObject({ status: 'validating_files', model: 'gpt-4.1-mini' });
    expect(submitted.job_id).toMatch(/^ftjob-/);

    const train = server.files.get(submitted.training_file);
    const val = server.files.get(submitted.validation_file ?? '');
    expect(train?.content.equals(readFileSync(trainPath))).toBe(true);
    expect(val?.content.equals(readFileSync(valPath))).toBe(true);
    expect(train).toMatchObject({ purpose: 'fine-tune', filename: 'train.jsonl' });
    expect(val).toMatchObject({ purpose: 'fine-tune', filename: 'val.jsonl' });

    const create = server.requests.find((r) => r.method === 'POST' && r.path === '/v1/fine_tuning/jobs');
    expect(create?.json).toEqual({
      model: 'gpt-4.1-mini',
      training_file: submitted.training_file,
      validation_file: submitted.validation_file,
      suffix: 'support-v1',
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3 } } },
    });
  });

  it('sends no validation file when there is none', async () => {
    const submitted = await submitFineTune({ ...conn(), trainPath, model: 'gpt-4.1-mini' });
    expect(submitted.validation_file).toBeNull();
    expect(server.jobs.get(submitted.job_id)?.body).toEqual({ model: 'gpt-4.1-mini', training_file: submitted.training_file });
  });

  it('reports a malformed training file with the server message, and creates no job', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${example('hi', 'hello')}\n{"prompt": "old format", "completion": "x"}\n`);
    const jobsBefore = server.jobs.size;
    const error = await submitFineTune({ ...conn(), trainPath: bad, model: 'gpt-4.1-mini' }).catch((e: unknown) => e);
    expect(AppError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation' });
    expect((error as Error).message).toContain('uploading bad.jsonl: HTTP 400: Invalid file format. Line 2, key "messages"');
    expect(server.jobs.size).toBe(jobsBefore);
  });

  it('rejects a wrong key with advice to check it, never echoing the key', async () => {
    const key = 'sk-wrong-key-0123456789';
    const error = await submitFineTune({ baseURL: server.url, apiKey: key, env, trainPath, model: 'gpt-4.1-mini' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'usage' });
    const message = (error as Error).message;
    expect(message).toContain('check the API key');
    expect(message).toContain('HTTP 401');
    expect(message).not.toContain(key);
    expect(JSON.stringify(error)).not.toContain(key);
    // The server did echo it: the redaction is ours.
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`);
  });

  it('fails as usage, before any request, on a missing file, no key and no base URL, or a bad hyperparameter', async () => {
    const count = server.requests.length;
    await expect(submitFineTune({ ...conn(), trainPath: join(dir, 'nope.jsonl'), model: 'm' })).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('nope.jsonl') });
    await expect(submitFineTune({ env: {}, trainPath, model: 'm' })).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('OPENAI_API_KEY') });
    await expect(submitFineTune({ ...conn(), trainPath, model: 'm', hyperparameters: { n_epochs: -1 } })).rejects.toMatchObject({ code: 'usage' });
    expect(server.requests.length).toBe(count);
  });

  it('reads the base URL and key from FIRSTCALL_OPENAI_* before OPENAI_*', async () => {
    const submitted = await submitFineTune({
      env: { FIRSTCALL_OPENAI_BASE_URL: server.url, FIRSTCALL_OPENAI_API_KEY: server.apiKey ?? '', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-other' },
      trainPath,
      model: 'gpt-4.1-mini',
    });
    expect(submitted.job_id).toMatch(/^ftjob-/);
  });

  it('maps a connection failure to a provider error', async () => {
    const error = await submitFineTune({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-x-123456', env, trainPath, model: 'm' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider', message: expect.stringContaining('cannot reach http://127.0.0.1:9/v1') });
  });
});

describe('getFineTuneStatus and listFineTunes', () => {
  it('polls through validating_files, running and succeeded, ending with the fine-tuned model name', async () => {
    const { job_id } = await submitFineTune({ ...conn(), trainPath, valPath, model: 'gpt-4.1-mini', suffix: 'support-v2' });
    const seen: string[] = [];
    let status;
    for (let i = 0; i < 5; i++) {
      status = await getFineTuneStatus({ ...conn(), jobId: job_id });
      seen.push(status.status);
      if (status.status === 'succeeded') break;
    }
    expect(seen).toEqual(['running', 'succeeded']);
    expect(status).toMatchObject({ id: job_id, model: 'gpt-4.1-mini', trained_tokens: 1234, error: null });
    expect(status?.fine_tuned_model).toBe(`ft:gpt-4.1-mini:firstcall:support-v2:${job_id.slice(-8)}`);
    expect(status?.finished_at).toEqual(expect.any(Number));
    expect(status?.events[0]?.message).toBe(`Created fine-tuning job: ${job_id}`);
    expect(status?.events.at(-1)?.message).toBe('The job has successfully completed');
  });

  it('keeps only the last events, oldest first', async () => {
    const { job_id } = await submitFineTune({ ...conn(), trainPath, model: 'gpt-4.1-mini' });
    await getFineTuneStatus({ ...conn(), jobId: job_id });
    const status = await getFineTuneStatus({ ...conn(), jobId: job_id, events: 2 });
    expect(status.events.map((e) => e.message)).toEqual([expect.stringContaining('New fine-tuned model created'), 'The job has successfully completed']);
  });

  it('reports a failed job with its error', async () => {
    const failing = await startMockFineTuneServer({ outcome: () => 'failed' });
    try {
      const c = { baseURL: failing.url, apiKey: failing.apiKey ?? undefined, env };
      const { job_id } = await submitFineTune({ ...c, trainPath, model: 'gpt-4.1-mini' });
      await getFineTuneStatus({ ...c, jobId: job_id });
      const status = await getFineTuneStatus({ ...c, jobId: job_id });
      expect(status).toMatchObject({ status: 'failed', fine_tuned_model: null, error: { code: 'invalid_training_file' } });
    } finally {
      await failing.close();
    }
  });

  it('gives not_found for an unknown job and lists recent jobs newest first', async () => {
    await expect(getFineTuneStatus({ ...conn(), jobId: 'ftjob-nope' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('ftjob-nope') });
    const jobs = await listFineTunes({ ...conn(), limit: 3 });
    expect(jobs).toHaveLength(3);
    const all = [...server.jobs.keys()].reverse();
    expect(jobs.map((j) => j.id)).toEqual(all.slice(0, 3));
  });
});
