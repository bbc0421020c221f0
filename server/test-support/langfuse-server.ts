// A local HTTP server speaking the parts of Langfuse's public API firstcall uses, written from the
// published reference (api.reference.langfuse.com, the OpenAPI spec behind @langfuse/client 5):
// - Basic auth, username the public key and password the secret key; otherwise 401 with Langfuse's body
//   ({"message":"No authorization header"} or {"message":"Invalid credentials. Confirm that you've configured the correct host."}).
// - GET /api/public/v2/observations: cursor pages (meta.cursor, `cursor`, `limit` default 50, max 1000),
//   field groups (`fields`, default core,basic; input/output only with `io`, as raw JSON strings),
//   filters type, traceId, sessionId, userId, environment, fromStartTime (>=), toStartTime (<).
// - GET /api/public/traces (page, limit; meta page/limit/totalItems/totalPages), GET /api/public/traces/:id.
// - GET /api/public/v3/scores: cursor pages, traceId / sessionId filters (comma lists, exclusive), `subject` field group.
// - POST /api/public/scores: stores a score ({id}); later reads see it.
// - 429 with Retry-After for the next n requests on demand (`rateLimitNext`).
// Seeded with sessions in Chinese and English, a trace without a session, scores and a staging trace.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeedTrace {
  id: string;
  sessionId?: string;
  userId?: string;
  environment: string;
  timestamp: string;
  name?: string;
}

export interface SeedObservation {
  id: string;
  traceId: string;
  type: 'GENERATION' | 'SPAN' | 'EVENT';
  name?: string;
  startTime: string;
  endTime?: string;
  input?: unknown;
  output?: unknown;
  model?: string;
}

export interface SeedScore {
  id: string;
  name: string;
  dataType: 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL';
  value: number | boolean | string;
  timestamp: string;
  traceId?: string;
  sessionId?: string;
  observationId?: string;
  source?: string;
  comment?: string;
}

export interface LangfuseRequestLog {
  method: string;
  path: string;
  query: URLSearchParams;
  authorized: boolean;
  status: number;
}

export interface TestLangfuseServer {
  url: string;
  publicKey: string;
  secretKey: string;
  traces: SeedTrace[];
  observations: SeedObservation[];
  scores: SeedScore[];
  requests: LangfuseRequestLog[];
  /** The next `count` authorised requests get 429 with `Retry-After: seconds`. */
  rateLimitNext(count: number, seconds?: number): void;
  close(): Promise<void>;
}

const PROJECT_ID = 'proj-firstcall-test';
const INVALID_CREDENTIALS = "Invalid credentials. Confirm that you've configured the correct host.";

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');
function decodeCursor(cursor: string | null): number | undefined {
  if (!cursor) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
    return typeof offset === 'number' && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

export async function startTestLangfuseServer(options: { publicKey?: string; secretKey?: string; seed?: boolean } = {}): Promise<TestLangfuseServer> {
  const publicKey = options.publicKey ?? 'pk-lf-test-1234';
  const secretKey = options.secretKey ?? 'sk-lf-test-secret-5678';
  const data = options.seed === false ? { traces: [], observations: [], scores: [] } : seedData();
  const requests: LangfuseRequestLog[] = [];
  let limited = 0;
  let retryAfter = 1;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const entry: LangfuseRequestLog = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorized: false, status: 200 };
    requests.push(entry);
    const send = (status: number, body: unknown, headers?: Record<string, string>) => {
      entry.status = status;
      json(res, status, body, headers);
    };

    const auth = req.headers.authorization;
    if (!auth) return send(401, { message: 'No authorization header' });
    const [scheme, value] = auth.split(' ');
    if (scheme !== 'Basic' || !value) return send(401, { message: `Invalid authorization header. Confirm that you've configured the correct host.` });
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (decoded.slice(0, colon) !== publicKey || decoded.slice(colon + 1) !== secretKey) return send(401, { message: INVALID_CREDENTIALS });
    entry.authorized = true;

    if (limited > 0) {
      limited--;
      return send(429, { message: 'Rate limit exceeded' }, { 'retry-after': String(retryAfter) });
    }

    const p = url.pathname;
    const q = url.searchParams;
    if (req.method === 'GET' && p === '/api/public/v2/observations') return observationsV2(q, send);
    if (req.method === 'GET' && p === '/api/public/traces') return tracesList(q, send);
    if (req.method === 'GET' && p.startsWith('/api/public/traces/')) {
      const trace = data.traces.find((t) => t.id === decodeURIComponent(p.slice('/api/public/traces/'.length)));
      if (!trace) return send(404, { message: 'Trace not found' });
      return send(200, { ...traceView(trace), observations: data.observations.filter((o) => o.traceId === trace.id).map((o) => observationView(o, ['core', 'basic', 'io'])), scores: data.scores.filter((s) => s.traceId === trace.id) });
    }
    if (req.method === 'GET' && p === '/api/public/v3/scores') return scoresV3(q, send);
    if (req.method === 'POST' && p === '/api/public/scores') {
      const body = await readJson(req);
      if (!body || typeof body !== 'object' || typeof (body as { name?: unknown }).name !== 'string' || !('value' in body)) {
        return send(400, { message: 'Invalid request data', error: [{ path: ['name'], message: 'Required' }] });
      }
      const b = body as Record<string, unknown>;
      const score: SeedScore = {
        id: typeof b.id === 'string' ? b.id : randomUUID(),
        name: b.name as string,
        value: b.value as number | boolean | string,
        dataType: (typeof b.dataType === 'string' ? b.dataType : typeof b.value === 'string' ? 'CATEGORICAL' : 'NUMERIC') as SeedScore['dataType'],
        timestamp: new Date().toISOString(),
        ...(typeof b.traceId === 'string' ? { traceId: b.traceId } : {}),
        ...(typeof b.sessionId === 'string' ? { sessionId: b.sessionId } : {}),
        ...(typeof b.observationId === 'string' ? { observationId: b.observationId } : {}),
        ...(typeof b.comment === 'string' ? { comment: b.comment } : {}),
        source: 'API',
      };
      // Upsert by id, as Langfuse does.
      const at = data.scores.findIndex((s) => s.id === score.id);
      if (at >= 0) data.scores[at] = score;
      else data.scores.push(score);
      return send(200, { id: score.id });
    }
    return send(404, { message: 'Not found' });
  }

  type Send = (status: number, body: unknown) => void;

  function observationsV2(q: URLSearchParams, send: Send): void {
    if (q.get('parseIoAsJson') === 'true') return send(400, { message: 'parseIoAsJson is no longer supported' });
    const limit = q.has('limit') ? Number(q.get('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return send(400, { message: 'limit must be an integer between 1 and 1000' });
    const offset = decodeCursor(q.get('cursor'));
    if (offset === undefined) return send(400, { message: 'Invalid cursor' });
    const fields = q.has('fields') ? list(q.get('fields')) : ['core', 'basic'];
    const environments = q.getAll('environment').flatMap((e) => list(e));
    const from = q.get('fromStartTime');
    const to = q.get('toStartTime');
    const traceOf = new Map(data.traces.map((t) => [t.id, t]));
    const matching = data.observations
      .filter((o) => {
        const trace = traceOf.get(o.traceId);
        if (q.get('type') && o.type !== q.get('type')) return false;
        if (q.get('traceId') && o.traceId !== q.get('traceId')) return false;
        if (q.get('sessionId') && trace?.sessionId !== q.get('sessionId')) return false;
        if (q.get('userId') && trace?.userId !== q.get('userId')) return false;
        if (environments.length > 0 && !environments.includes(trace?.environment ?? 'default')) return false;
        if (from && Date.parse(o.startTime) < Date.parse(from)) return false;
        if (to && Date.parse(o.startTime) >= Date.parse(to)) return false;
        return true;
      })
      .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime) || a.id.localeCompare(b.id));
    const page = matching.slice(offset, offset + limit);
    const next = offset + limit < matching.length ? encodeCursor(offset + limit) : undefined;
    send(200, { data: page.map((o) => observationView(o, fields)), meta: next ? { cursor: next } : {} });
  }

  function observationView(o: SeedObservation, fields: readonly string[]): Record<string, unknown> {
    const trace = data.traces.find((t) => t.id === o.traceId);
    const view: Record<string, unknown> = { id: o.id, traceId: o.traceId, startTime: o.startTime, endTime: o.endTime ?? null, projectId: PROJECT_ID, parentObservationId: null, type: o.type };
    if (fields.includes('basic')) {
      Object.assign(view, { name: o.name ?? null, level: 'DEFAULT', statusMessage: null, version: null, environment: trace?.environment ?? 'default', bookmarked: false, public: false, userId: trace?.userId ?? null, sessionId: trace?.sessionId ?? null, isRootObservation: true });
    }
    if (fields.includes('time')) Object.assign(view, { completionStartTime: null, createdAt: o.startTime, updatedAt: o.endTime ?? o.startTime });
    // v2 returns input and output as raw strings.
    if (fields.includes('io')) Object.assign(view, { input: o.input === undefined ? null : JSON.stringify(o.input), output: o.output === undefined ? null : JSON.stringify(o.output) });
    if (fields.includes('model')) Object.assign(view, { model: o.model ?? null, internalModelId: null, modelParameters: null });
    return view;
  }

  function traceView(t: SeedTrace): Record<string, unknown> {
    return { id: t.id, timestamp: t.timestamp, name: t.name ?? null, sessionId: t.sessionId ?? null, userId: t.userId ?? null, environment: t.environment, tags: [], public: false, projectId: PROJECT_ID, htmlPath: `/project/${PROJECT_ID}/traces/${t.id}` };
  }

  function tracesList(q: URLSearchParams, send: Send): void {
    const page = Number(q.get('page') ?? 1);
    const limit = Number(q.get('limit') ?? 50);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1 || limit > 100) return send(400, { message: 'Invalid page or limit' });
    const matching = data.traces
      .filter((t) => (!q.get('sessionId') || t.sessionId === q.get('sessionId')) && (!q.get('userId') || t.userId === q.get('userId')))
      .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    send(200, {
      data: matching.slice((page - 1) * limit, page * limit).map((t) => ({ ...traceView(t), scores: data.scores.filter((s) => s.traceId === t.id).map((s) => s.id), observations: data.observations.filter((o) => o.traceId === t.id).map((o) => o.id) })),
      meta: { page, limit, totalItems: matching.length, totalPages: Math.ceil(matching.length / limit) },
    });
  }

  function scoresV3(q: URLSearchParams, send: Send): void {
    const limit = q.has('limit') ? Number(q.get('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return send(400, { message: 'limit must be an integer between 1 and 100' });
    const traceIds = list(q.get('traceId'));
    const sessionIds = list(q.get('sessionId'));
    if (traceIds.length > 0 && sessionIds.length > 0) return send(400, { message: 'traceId and sessionId are mutually exclusive' });
    const fields = list(q.get('fields'));
    if (fields.some((f) => !['details', 'subject', 'annotation'].includes(f))) return send(400, { message: `unknown field group in ${q.get('fields')}` });
    const offset = decodeCursor(q.get('cursor'));
    if (offset === undefined) return send(400, { message: 'Invalid cursor' });
    const names = list(q.get('name'));
    const matching = data.scores
      .filter((s) => (traceIds.length === 0 || (s.traceId !== undefined && traceIds.includes(s.traceId))) && (sessionIds.length === 0 || (s.sessionId !== undefined && sessionIds.includes(s.sessionId))) && (names.length === 0 || names.includes(s.name)))
      .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || a.id.localeCompare(b.id));
    const page = matching.slice(offset, offset + limit).map((s) => {
      const view: Record<string, unknown> = { id: s.id, projectId: PROJECT_ID, name: s.name, source: s.source ?? 'API', timestamp: s.timestamp, environment: 'default', createdAt: s.timestamp, updatedAt: s.timestamp, dataType: s.dataType, value: s.value };
      if (fields.includes('details')) Object.assign(view, { comment: s.comment ?? null, configId: null, metadata: {} });
      if (fields.includes('subject')) {
        view.subject = s.sessionId ? { kind: 'session', id: s.sessionId } : s.observationId ? { kind: 'observation', id: s.observationId, traceId: s.traceId } : { kind: 'trace', id: s.traceId };
      }
      return view;
    });
    const next = offset + limit < matching.length ? encodeCursor(offset + limit) : undefined;
    send(200, { data: page, meta: { limit, ...(next ? { cursor: next } : {}) } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publicKey,
    secretKey,
    ...data,
    requests,
    rateLimitNext(count, seconds = 1) {
      limited = count;
      retryAfter = seconds;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const SYSTEM_ZH = { role: 'system', content: '你是某电子商城的客服助手。' };
const SYSTEM_EN = { role: 'system', content: 'You are a helpful support assistant for an online store.' };

/**
 * Two sessions in Chinese (one with a tool call and a phone number), one in English (with an email
 * address, a SPAN beside the generations), an English trace without a session, and a staging trace.
 */
function seedData(): { traces: SeedTrace[]; observations: SeedObservation[]; scores: SeedScore[] } {
  const traces: SeedTrace[] = [
    { id: 'tr-zh-1a', sessionId: 'sess-zh-1', userId: 'u-zh-8841', environment: 'production', timestamp: '2026-11-02T01:14:00.000Z' },
    { id: 'tr-zh-1b', sessionId: 'sess-zh-1', userId: 'u-zh-8841', environment: 'production', timestamp: '2026-11-02T01:15:10.000Z' },
    { id: 'tr-zh-2a', sessionId: 'sess-zh-2', userId: 'u-zh-1203', environment: 'production', timestamp: '2026-11-05T06:00:00.000Z' },
    { id: 'tr-en-1a', sessionId: 'sess-en-1', userId: 'u-en-77', environment: 'production', timestamp: '2026-11-03T15:00:00.000Z' },
    { id: 'tr-en-1b', sessionId: 'sess-en-1', userId: 'u-en-77', environment: 'production', timestamp: '2026-11-03T15:02:00.000Z' },
    { id: 'tr-en-solo', userId: 'u-en-90', environment: 'production', timestamp: '2026-11-04T09:30:00.000Z' },
    { id: 'tr-staging', sessionId: 'sess-staging', userId: 'u-test', environment: 'staging', timestamp: '2026-11-04T10:00:00.000Z' },
  ];
  const zh1u1 = { role: 'user', content: '我上周买的手机屏幕碎了，还在保修期吗？' };
  const zh1a1 = { role: 'assistant', content: '您好，很抱歉听到这个情况。请提供一下订单号，我帮您查询。' };
  const zh1u2 = { role: 'user', content: '订单号 A1001，我的手机号是 13812345678。' };
  const zh1call = { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A1001"}' } }] };
  const zh1tool = { role: 'tool', tool_call_id: 'call_1', content: '{"order":"A1001","purchased":"2026-10-26","warranty_months":12}' };
  const zh1a2 = { role: 'assistant', content: '查到了，订单 A1001 在保修期内，我已为您创建维修单。' };
  const en1u1 = { role: 'user', content: 'Hi, I was charged twice for my order B2002.' };
  const en1a1 = { role: 'assistant', content: "Sorry about that! Could you share the email on the account so I can check?" };
  const en1u2 = { role: 'user', content: 'Sure, it is jane.doe@example.com' };
  const en1a2 = { role: 'assistant', content: 'Thanks. I see the duplicate charge and have refunded it; it takes 3-5 business days.' };
  const observations: SeedObservation[] = [
    { id: 'ob-zh-1a', traceId: 'tr-zh-1a', type: 'GENERATION', name: 'reply', startTime: '2026-11-02T01:14:00.000Z', endTime: '2026-11-02T01:14:02.000Z', input: [SYSTEM_ZH, zh1u1], output: zh1a1, model: 'qwen-plus' },
    { id: 'ob-zh-1b-1', traceId: 'tr-zh-1b', type: 'GENERATION', name: 'reply', startTime: '2026-11-02T01:15:10.000Z', endTime: '2026-11-02T01:15:11.000Z', input: [SYSTEM_ZH, zh1u1, zh1a1, zh1u2], output: zh1call, model: 'qwen-plus' },
    { id: 'ob-zh-1b-2', traceId: 'tr-zh-1b', type: 'GENERATION', name: 'reply', startTime: '2026-11-02T01:15:12.000Z', endTime: '2026-11-02T01:15:14.000Z', input: [SYSTEM_ZH, zh1u1, zh1a1, zh1u2, zh1call, zh1tool], output: zh1a2, model: 'qwen-plus' },
    { id: 'ob-zh-2a', traceId: 'tr-zh-2a', type: 'GENERATION', name: 'reply', startTime: '2026-11-05T06:00:00.000Z', endTime: '2026-11-05T06:00:03.000Z', input: { messages: [SYSTEM_ZH, { role: 'user', content: [{ type: 'text', text: '怎么修改收货地址？' }] }] }, output: { role: 'assistant', content: '您可以在“我的订单”里点击“修改地址”，发货前都可以修改。' } },
    { id: 'ob-en-1a', traceId: 'tr-en-1a', type: 'GENERATION', name: 'reply', startTime: '2026-11-03T15:00:00.000Z', endTime: '2026-11-03T15:00:02.000Z', input: [SYSTEM_EN, en1u1], output: en1a1 },
    { id: 'ob-en-1a-span', traceId: 'tr-en-1a', type: 'SPAN', name: 'retrieve', startTime: '2026-11-03T15:00:00.500Z', input: { query: 'double charge' }, output: { docs: 3 } },
    { id: 'ob-en-1b', traceId: 'tr-en-1b', type: 'GENERATION', name: 'reply', startTime: '2026-11-03T15:02:00.000Z', endTime: '2026-11-03T15:02:03.000Z', input: [SYSTEM_EN, en1u1, en1a1, en1u2], output: en1a2 },
    { id: 'ob-en-solo', traceId: 'tr-en-solo', type: 'GENERATION', name: 'reply', startTime: '2026-11-04T09:30:00.000Z', endTime: '2026-11-04T09:30:01.000Z', input: [SYSTEM_EN, { role: 'user', content: 'What are your opening hours?' }], output: 'We are open 9am to 6pm, Monday to Saturday.' },
    { id: 'ob-staging', traceId: 'tr-staging', type: 'GENERATION', name: 'reply', startTime: '2026-11-04T10:00:00.000Z', endTime: '2026-11-04T10:00:01.000Z', input: [{ role: 'user', content: 'test test' }], output: 'ok' },
  ];
  const scores: SeedScore[] = [
    { id: 'sc-1', name: 'csat', dataType: 'NUMERIC', value: 5, timestamp: '2026-11-02T02:00:00.000Z', traceId: 'tr-zh-1b' },
    { id: 'sc-2', name: 'resolved', dataType: 'BOOLEAN', value: true, timestamp: '2026-11-02T02:00:00.000Z', traceId: 'tr-zh-1b' },
    { id: 'sc-3', name: 'user-feedback', dataType: 'NUMERIC', value: 4, timestamp: '2026-11-03T16:00:00.000Z', traceId: 'tr-en-1b' },
    { id: 'sc-4', name: 'resolved', dataType: 'BOOLEAN', value: true, timestamp: '2026-11-03T16:00:00.000Z', sessionId: 'sess-en-1' },
    { id: 'sc-5', name: 'helpfulness', dataType: 'NUMERIC', value: 0.8, timestamp: '2026-11-04T09:31:00.000Z', traceId: 'tr-en-solo' },
    { id: 'sc-6', name: 'user-feedback', dataType: 'NUMERIC', value: 5, timestamp: '2026-11-05T07:00:00.000Z', traceId: 'tr-zh-2a' },
  ];
  return { traces, observations, scores };
}
