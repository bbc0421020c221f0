// `firstcall langfuse pull` against a local Langfuse API server, through @langfuse/client.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pullFromLangfuse } from '../../server/services/langfuse.ts';
import { startTestLangfuseServer, type TestLangfuseServer } from '../../server/test-support/langfuse-server.ts';
import { tempDir, tempStore } from '../../server/test-support/temp.ts';
import { DialogueRepository } from '../../server/storage/dialogue-repository.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { exitCodeFor, runLocal } from '../command.ts';
import type { CommandIO } from '../io.ts';
import { langfusePull } from './langfuse.ts';

function capture(): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false, stdout: () => out, stderr: () => err };
}

const dir = tempDir('firstcall-langfuse-');
let server: TestLangfuseServer;
beforeAll(async () => {
  server = await startTestLangfuseServer();
});
afterAll(() => server.close());
afterEach(() => vi.unstubAllEnvs());

function useKeys(secret = server.secretKey) {
  vi.stubEnv('LANGFUSE_PUBLIC_KEY', server.publicKey);
  vi.stubEnv('LANGFUSE_SECRET_KEY', secret);
  vi.stubEnv('LANGFUSE_BASE_URL', server.url);
}

/** Runs the command as the CLI does: errors become exit codes and stderr lines. */
async function pull(input: Record<string, unknown>): Promise<{ code: number; io: ReturnType<typeof capture> }> {
  const io = capture();
  try {
    return { code: await runLocal(langfusePull, input, io), io };
  } catch (error) {
    return { code: exitCodeFor(error, io), io };
  }
}

async function dialoguesIn(file: string, ids: readonly string[]) {
  const db = await openDatabase(file);
  try {
    const repo = new DialogueRepository(db);
    return await Promise.all(ids.map((id) => repo.get(id)));
  } finally {
    db.close();
  }
}

describe('firstcall langfuse pull', () => {
  const db = `${dir}/pull.duckdb`;

  it('imports the production sessions as dialogues, with customers, tool turns, outcomes, and PII redacted', async () => {
    useKeys();
    const { code, io } = await pull({ db, environment: 'production', json: true });
    expect(io.stderr()).toContain('langfuse: page 1, 7 generations');
    expect(code).toBe(0);
    const summary = JSON.parse(io.stdout());
    expect(summary).toMatchObject({ observations: 7, dialogues: 4, ingest: { loaded: 4, duplicates: 0, quarantined: 0 } });
    expect(summary.ingest.redacted).toMatchObject({ PHONE: 1, EMAIL: 1 });

    const [zh, en, solo, zh2, staging] = await dialoguesIn(db, ['langfuse-sess-zh-1', 'langfuse-sess-en-1', 'langfuse-tr-en-solo', 'langfuse-sess-zh-2', 'langfuse-sess-staging']);
    expect(staging).toBeUndefined();
    expect(zh).toMatchObject({ customer_id: 'u-zh-8841', language: 'zh', outcome: { csat: 5, resolved: true } });
    expect(zh!.turns.map((t) => t.role)).toEqual(['customer', 'agent', 'customer', 'tool', 'agent']);
    expect(zh!.turns[3]).toMatchObject({ role: 'tool', name: 'lookup_order' });
    expect(zh!.turns[2]!.text).not.toContain('13812345678');
    expect(en).toMatchObject({ customer_id: 'u-en-77', language: 'en', outcome: { csat: 4, resolved: true } });
    expect(en!.turns).toHaveLength(4);
    expect(JSON.stringify(en!.turns)).not.toContain('jane.doe@example.com');
    expect(solo).toMatchObject({ customer_id: 'u-en-90', turns: [{ role: 'customer' }, { role: 'agent', text: 'We are open 9am to 6pm, Monday to Saturday.' }] });
    expect(solo!.outcome ?? {}).toEqual({});
    expect(zh2).toMatchObject({ outcome: { csat: 5 }, turns: [{ text: '怎么修改收货地址？' }, { role: 'agent' }] });
  });

  it('adds nothing when pulled again', async () => {
    useKeys();
    const { code, io } = await pull({ db, environment: 'production' });
    expect(code).toBe(0);
    expect(io.stdout()).toContain('loaded       0 new dialogues');
    expect(io.stdout()).toContain('duplicates   4 already in the store');
    expect(io.stdout()).not.toContain('changed since');
  });

  it('exits 2 with a clear message on a wrong key, and never prints the secret', async () => {
    useKeys('sk-lf-wrong-secret-000');
    const { code, io } = await pull({ db: `${dir}/wrong.duckdb` });
    expect(code).toBe(2);
    expect(io.stderr()).toContain('rejected the keys (401: Invalid credentials');
    expect(io.stderr()).toContain('LANGFUSE_SECRET_KEY');
    expect(io.stderr() + io.stdout()).not.toContain('sk-lf-wrong-secret-000');
    expect(io.stderr() + io.stdout()).not.toContain(server.secretKey);
  });

  it('exits 2 naming the missing variables when no keys are set', async () => {
    vi.stubEnv('LANGFUSE_PUBLIC_KEY', '');
    vi.stubEnv('LANGFUSE_SECRET_KEY', '');
    const { code, io } = await pull({ db: `${dir}/nokeys.duckdb` });
    expect(code).toBe(2);
    expect(io.stderr()).toContain('set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY');
  });

  it('waits out a 429 (Retry-After) and carries on', async () => {
    useKeys();
    const before = server.requests.length;
    server.rateLimitNext(1, 1);
    const { code, io } = await pull({ db: `${dir}/limited.duckdb`, since: '2026-11-04', until: '2026-11-05', json: true });
    expect(code).toBe(0);
    const statuses = server.requests.slice(before).map((r) => `${r.status} ${r.path}`);
    expect(statuses.slice(0, 2)).toEqual(['429 /api/public/v2/observations', '200 /api/public/v2/observations']);
    // The window holds the trace without a session and the staging trace.
    expect(JSON.parse(io.stdout())).toMatchObject({ dialogues: 2, ingest: { loaded: 2 } });
  });

  it('rejects a --since that is not a date', async () => {
    useKeys();
    const { code, io } = await pull({ db: `${dir}/bad.duckdb`, since: 'yesterday' });
    expect(code).toBe(2);
    expect(io.stderr()).toContain('--since wants a date');
  });
});

describe('pullFromLangfuse', () => {
  it('follows the cursor across pages, sends the filters, and stops at --limit', async () => {
    const store = await tempStore(dir);
    const before = server.requests.length;
    const summary = await pullFromLangfuse(store, { publicKey: server.publicKey, secretKey: server.secretKey, baseUrl: server.url }, { pageSize: 3, limit: 2, environment: 'production', since: '2026-11-01T00:00:00Z' });
    const pages = server.requests.slice(before).filter((r) => r.path === '/api/public/v2/observations');
    expect(pages).toHaveLength(3);
    expect(pages[0]!.query.get('cursor')).toBeNull();
    expect(pages[1]!.query.get('cursor')).toBeTruthy();
    expect(Object.fromEntries(['type', 'fields', 'environment', 'fromStartTime', 'limit'].map((k) => [k, pages[0]!.query.get(k)]))).toEqual({
      type: 'GENERATION',
      fields: 'core,basic,io',
      environment: 'production',
      fromStartTime: '2026-11-01T00:00:00Z',
      limit: '3',
    });
    expect(summary).toMatchObject({ observations: 7, dialogues: 4, skipped_by_limit: 2, ingest: { loaded: 2 } });
    // The earliest two: the first Chinese session and the English one.
    expect([...(await new DialogueRepository(store).existingIds(['langfuse-sess-zh-1', 'langfuse-sess-en-1', 'langfuse-tr-en-solo']))].sort()).toEqual(['langfuse-sess-en-1', 'langfuse-sess-zh-1']);
  });

  it('reads scores posted through POST /api/public/scores', async () => {
    const res = await fetch(`${server.url}/api/public/scores`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${server.publicKey}:${server.secretKey}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ traceId: 'tr-en-solo', name: 'resolved', value: 0, dataType: 'BOOLEAN' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: expect.any(String) });
    const store = await tempStore(dir);
    await pullFromLangfuse(store, { publicKey: server.publicKey, secretKey: server.secretKey, baseUrl: server.url }, { environment: 'production' });
    expect((await new DialogueRepository(store).get('langfuse-tr-en-solo'))?.outcome).toEqual({ resolved: false });
  });
});
