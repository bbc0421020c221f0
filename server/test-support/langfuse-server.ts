// A local HTTP server speaking the parts of Langfuse's public API firstcall uses, written from the
// published reference (api.reference.langfuse.com, the OpenAPI spec behind @langfuse/client 5):
// - Basic auth, username the public key and password the secret key; otherwise 401 with Langfuse's body
//   ({"message":"No authorization header"} or {"message":"Invalid credentials. Confirm that you've configured the correct host."}).
// - GET /api/public/v2/observations: cursor pages (meta.cursor, `cursor`, `limit` default 50, max 1000),
//   field groups (`fields`, default core,basic; input/output only with `io`, as raw JSON strings),
//   filters type, traceId, sessionId, userId, environment, fromStartTime (>=), toStartTime (<).
// - GET /api/public/traces (page, limit; meta page/limit/totalItems/totalPages), GET /api/public/traces/:id.
// - GET /api/public/v3/scores: cursor pages, traceId / sessionId filters (comma lists, exclusive), `subject` field group.
// - POST /api/public/scores: creates a score, or updates the one with the same id ({id}); value by
//   dataType (BOOLEAN 0/1, CATEGORICAL a string), one of traceId / sessionId / datasetRunId; later reads see it.
// - POST /api/public/v2/datasets (upsert by name), GET /api/public/v2/datasets (page, limit),
//   GET /api/public/v2/datasets/{name}; POST /api/public/dataset-items (upsert by id; 404 for an unknown
//   dataset), GET /api/public/dataset-items (datasetName, page, limit).
// - Prompts: POST /api/public/v2/prompts adds a version (numbered from 1; its labels move to it from
//   the version that had them; `latest` follows the newest and may not be set; a name keeps its type),
//   GET /api/public/v2/prompts/{name} (?version or ?label, default production; 404 otherwise),
//   PATCH /api/public/v2/prompts/{name}/versions/{version} (newLabels), GET /api/public/v2/prompts (meta).
// - Errors as {message, code} (code: invalid_body, invalid_query, resource_not_found, rate_limited, ...).
// - 429 with Retry-After for the next n requests on demand (`rateLimitNext`); `failNext` answers the
//   next n writes with a 400.
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

export interface StoredScore extends SeedScore {
  metadata?: unknown;
  environment?: string;
}

export interface StoredDataset {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface StoredDatasetItem {
  id: string;
  datasetName: string;
  input: unknown;
  expectedOutput: unknown;
  metadata: unknown;
  sourceTraceId: string | null;
  status: 'ACTIVE' | 'ARCHIVED';
  createdAt: string;
  updatedAt: string;
}

export interface StoredPrompt {
  name: string;
  version: number;
  type: 'chat' | 'text';
  prompt: unknown;
  config: unknown;
  labels: string[];
  tags: string[];
  commitMessage: string | null;
  createdAt: string;
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
  scores: StoredScore[];
  datasets: StoredDataset[];
  datasetItems: StoredDatasetItem[];
  prompts: StoredPrompt[];
  requests: LangfuseRequestLog[];
  /** The next `count` authorised requests get 429 with `Retry-After: seconds`. */
  rateLimitNext(count: number, seconds?: number): void;
  /** The next `count` authorised POST requests get 400 (a rejected body). */
  failNext(count: number): void;
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
  const seeded = options.seed === false ? { traces: [], observations: [], scores: [] } : seedData();
  const data = { ...seeded, scores: seeded.scores as StoredScore[], datasets: [] as StoredDataset[], datasetItems: [] as StoredDatasetItem[], prompts: [] as StoredPrompt[] };
  const requests: LangfuseRequestLog[] = [];
  let limited = 0;
  let retryAfter = 1;
  let failing = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The body first: everything after runs without awaiting, so `current` stays this request's.
    const body = req.method === 'GET' ? undefined : await readJson(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const entry: LangfuseRequestLog = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorized: false, status: 200 };
    requests.push(entry);
    const send = (status: number, body: unknown, headers?: Record<string, string>) => {
      entry.status = status;
      json(res, status, body, headers);
    };
    current = { entry, res };

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
      return send(429, { message: 'Rate limit exceeded', code: 'rate_limited' }, { 'retry-after': String(retryAfter) });
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
    if (req.method === 'POST' && failing > 0) {
      failing--;
      return fail(400, 'invalid_body', 'Invalid request data (rejected on purpose by the test server)');
    }
    if (req.method === 'POST' && p === '/api/public/scores') return createScore(body);
    if (req.method === 'POST' && p === '/api/public/v2/datasets') return upsertDataset(body);
    if (req.method === 'GET' && p === '/api/public/v2/datasets') {
      const paging = pageOf(q);
      if (!paging) return fail(400, 'invalid_query', 'page and limit must be whole numbers from 1 (limit at most 100)');
      return send(200, paged(data.datasets.map(datasetView), paging));
    }
    if (req.method === 'GET' && p.startsWith('/api/public/v2/datasets/')) {
      const name = decodeURIComponent(p.slice('/api/public/v2/datasets/'.length));
      const dataset = data.datasets.find((d) => d.name === name);
      return dataset ? send(200, datasetView(dataset)) : fail(404, 'resource_not_found', 'Dataset not found');
    }
    if (req.method === 'POST' && p === '/api/public/dataset-items') return upsertDatasetItem(body);
    if (req.method === 'GET' && p === '/api/public/dataset-items') {
      const paging = pageOf(q);
      if (!paging) return fail(400, 'invalid_query', 'page and limit must be whole numbers from 1 (limit at most 100)');
      const name = q.get('datasetName');
      if (name && !data.datasets.some((d) => d.name === name)) return fail(404, 'resource_not_found', 'Dataset not found');
      return send(200, paged(data.datasetItems.filter((i) => !name || i.datasetName === name).map(itemView), paging));
    }
    if (req.method === 'POST' && p === '/api/public/v2/prompts') return createPrompt(body);
    if (req.method === 'GET' && p === '/api/public/v2/prompts') return listPrompts(q);
    const versionPath = /^\/api\/public\/v2\/prompts\/(.+)\/versions\/([^/]+)$/.exec(p);
    if (req.method === 'PATCH' && versionPath) return updateLabels(decodeURIComponent(versionPath[1]!), Number(versionPath[2]), body);
    if (req.method === 'GET' && p.startsWith('/api/public/v2/prompts/')) return getPrompt(decodeURIComponent(p.slice('/api/public/v2/prompts/'.length)), q);
    return send(404, { message: 'Not found' });
  }

  type Send = (status: number, body: unknown) => void;

  // The request being answered: set before routing, and no handler awaits, so it stays that request.
  let current: { entry: LangfuseRequestLog; res: ServerResponse } | undefined;

  function fail(status: number, code: string, message: string, details?: unknown): void {
    current!.entry.status = status;
    json(current!.res, status, { message, code, ...(details ? { details } : {}) });
  }

  function send(status: number, body: unknown): void {
    current!.entry.status = status;
    json(current!.res, status, body);
  }

  function createScore(body: unknown): void {
    if (!isObject(body)) return fail(400, 'invalid_body', 'Invalid request data: expected a JSON object');
    const b = body;
    if (typeof b.name !== 'string' || b.name === '') return fail(400, 'invalid_body', 'Invalid request data', { issues: [{ code: 'invalid_type', message: 'Required', path: ['name'] }] });
    const dataType = b.dataType === undefined ? (typeof b.value === 'string' ? 'CATEGORICAL' : 'NUMERIC') : b.dataType;
    if (!['NUMERIC', 'BOOLEAN', 'CATEGORICAL'].includes(String(dataType))) return fail(400, 'invalid_body', `Invalid dataType ${String(dataType)}`);
    if (dataType === 'CATEGORICAL' ? typeof b.value !== 'string' : typeof b.value !== 'number' || !Number.isFinite(b.value)) {
      return fail(400, 'invalid_body', `value must be ${dataType === 'CATEGORICAL' ? 'a string for categorical scores' : 'a number for numeric and boolean scores'}`);
    }
    if (dataType === 'BOOLEAN' && b.value !== 0 && b.value !== 1) return fail(400, 'invalid_body', 'Boolean score values must equal either 1 or 0');
    if (![b.traceId, b.sessionId, b.datasetRunId].some((v) => typeof v === 'string' && v !== '')) return fail(400, 'invalid_body', 'A score needs a traceId, sessionId or datasetRunId');
    if (b.source !== undefined && b.source !== 'API' && b.source !== 'ANNOTATION') return fail(400, 'invalid_body', `source must be API or ANNOTATION, got ${String(b.source)}`);
    const score: StoredScore = {
      id: typeof b.id === 'string' && b.id !== '' ? b.id : randomUUID(),
      name: b.name,
      value: dataType === 'BOOLEAN' ? b.value === 1 : (b.value as number | string),
      dataType: dataType as SeedScore['dataType'],
      timestamp: new Date().toISOString(),
      ...(typeof b.traceId === 'string' ? { traceId: b.traceId } : {}),
      ...(typeof b.sessionId === 'string' ? { sessionId: b.sessionId } : {}),
      ...(typeof b.observationId === 'string' ? { observationId: b.observationId } : {}),
      ...(typeof b.comment === 'string' ? { comment: b.comment } : {}),
      ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
      ...(typeof b.environment === 'string' ? { environment: b.environment } : {}),
      source: typeof b.source === 'string' ? b.source : 'API',
    };
    // Upsert by id, as Langfuse does.
    const at = data.scores.findIndex((s) => s.id === score.id);
    if (at >= 0) data.scores[at] = score;
    else data.scores.push(score);
    send(200, { id: score.id });
  }

  function datasetView(d: StoredDataset): Record<string, unknown> {
    return { id: d.id, name: d.name, description: d.description, metadata: d.metadata, inputSchema: null, expectedOutputSchema: null, projectId: PROJECT_ID, createdAt: d.createdAt, updatedAt: d.updatedAt };
  }

  function upsertDataset(body: unknown): void {
    if (!isObject(body) || typeof body.name !== 'string' || body.name.trim() === '') return fail(400, 'invalid_body', 'Invalid request data', { issues: [{ code: 'invalid_type', message: 'Required', path: ['name'] }] });
    const now = new Date().toISOString();
    let dataset = data.datasets.find((d) => d.name === body.name);
    if (dataset) Object.assign(dataset, { description: typeof body.description === 'string' ? body.description : dataset.description, metadata: body.metadata ?? dataset.metadata, updatedAt: now });
    else {
      dataset = { id: randomUUID(), name: body.name, description: typeof body.description === 'string' ? body.description : null, metadata: body.metadata ?? null, createdAt: now, updatedAt: now };
      data.datasets.push(dataset);
    }
    send(200, datasetView(dataset));
  }

  function itemView(i: StoredDatasetItem): Record<string, unknown> {
    const dataset = data.datasets.find((d) => d.name === i.datasetName)!;
    return { ...i, datasetId: dataset.id, sourceObservationId: null, mediaReferences: [] };
  }

  function upsertDatasetItem(body: unknown): void {
    if (!isObject(body) || typeof body.datasetName !== 'string') return fail(400, 'invalid_body', 'Invalid request data', { issues: [{ code: 'invalid_type', message: 'Required', path: ['datasetName'] }] });
    if (!data.datasets.some((d) => d.name === body.datasetName)) return fail(404, 'resource_not_found', 'Dataset not found');
    if (body.id !== undefined && (typeof body.id !== 'string' || body.id.length > 255)) return fail(400, 'invalid_body', 'id must be a string of at most 255 characters');
    const now = new Date().toISOString();
    const id = (body.id as string | undefined) ?? randomUUID();
    const existing = data.datasetItems.find((i) => i.id === id);
    if (existing && existing.datasetName !== body.datasetName) return fail(409, 'conflict', `Dataset item ${id} belongs to another dataset; item ids are unique in a project`);
    const item: StoredDatasetItem = {
      id,
      datasetName: body.datasetName,
      input: body.input ?? null,
      expectedOutput: body.expectedOutput ?? null,
      metadata: body.metadata ?? null,
      sourceTraceId: typeof body.sourceTraceId === 'string' ? body.sourceTraceId : null,
      status: body.status === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (existing) Object.assign(existing, item);
    else data.datasetItems.push(item);
    send(200, itemView(item));
  }

  const LABEL = /^[a-z0-9_\-.]+$/;

  function promptView(p: StoredPrompt): Record<string, unknown> {
    return { name: p.name, version: p.version, type: p.type, prompt: p.prompt, config: p.config, labels: p.labels, tags: p.tags, commitMessage: p.commitMessage, resolutionGraph: null };
  }

  function createPrompt(body: unknown): void {
    if (!isObject(body) || typeof body.name !== 'string' || body.name.trim() === '') return fail(400, 'invalid_body', 'Invalid request data', { issues: [{ code: 'invalid_type', message: 'Required', path: ['name'] }] });
    const type = body.type ?? 'text';
    if (type !== 'chat' && type !== 'text') return fail(400, 'invalid_body', `type must be chat or text, got ${String(type)}`);
    if (type === 'text' && typeof body.prompt !== 'string') return fail(400, 'invalid_body', 'a text prompt is a string');
    if (type === 'chat') {
      if (!Array.isArray(body.prompt)) return fail(400, 'invalid_body', 'a chat prompt is an array of messages');
      const bad = body.prompt.findIndex((m: unknown) => !isObject(m) || (m.type === 'placeholder' ? typeof m.name !== 'string' : typeof m.role !== 'string' || typeof m.content !== 'string'));
      if (bad >= 0) return fail(400, 'invalid_body', `prompt[${bad}] is neither a message {role, content} nor a placeholder {type: "placeholder", name}`);
    }
    const labels = Array.isArray(body.labels) ? body.labels : [];
    if (labels.some((l: unknown) => typeof l !== 'string' || !LABEL.test(l))) return fail(400, 'invalid_body', 'labels are lower-case letters, digits, _ - .');
    if (labels.includes('latest')) return fail(400, 'invalid_body', 'The "latest" label is reserved and managed by Langfuse');
    const versions = data.prompts.filter((p) => p.name === body.name);
    if (versions.length > 0 && versions[0]!.type !== type) return fail(400, 'invalid_body', `Previous versions of prompt ${body.name} are of type ${versions[0]!.type}; a prompt keeps its type`);
    const tags = Array.isArray(body.tags) ? body.tags.filter((t: unknown): t is string => typeof t === 'string') : (versions[0]?.tags ?? []);
    // Labels are unique across a prompt's versions: the new version takes them, and `latest`.
    for (const v of versions) {
      v.labels = v.labels.filter((l) => l !== 'latest' && !labels.includes(l));
      v.tags = tags;
    }
    const created: StoredPrompt = {
      name: body.name,
      version: versions.reduce((max, v) => Math.max(max, v.version), 0) + 1,
      type,
      prompt: body.prompt,
      config: body.config ?? {},
      labels: [...new Set([...labels, 'latest'])],
      tags,
      commitMessage: typeof body.commitMessage === 'string' ? body.commitMessage : null,
      createdAt: new Date().toISOString(),
    };
    data.prompts.push(created);
    send(201, promptView(created));
  }

  function getPrompt(name: string, q: URLSearchParams): void {
    if (q.has('version') && q.has('label')) return fail(400, 'invalid_query', 'Cannot specify both version and label');
    const versions = data.prompts.filter((p) => p.name === name);
    if (q.has('version')) {
      const version = Number(q.get('version'));
      if (!Number.isInteger(version) || version < 1) return fail(400, 'invalid_query', 'version must be a whole number from 1');
      const found = versions.find((p) => p.version === version);
      return found ? send(200, promptView(found)) : fail(404, 'resource_not_found', `Prompt not found: '${name}' version ${version}`);
    }
    const label = q.get('label') ?? 'production';
    const found = versions.find((p) => p.labels.includes(label));
    return found ? send(200, promptView(found)) : fail(404, 'resource_not_found', `Prompt not found: '${name}' with label '${label}'`);
  }

  function updateLabels(name: string, version: number, body: unknown): void {
    if (!isObject(body) || !Array.isArray(body.newLabels) || body.newLabels.some((l: unknown) => typeof l !== 'string' || !LABEL.test(l))) return fail(400, 'invalid_body', 'newLabels is a list of labels');
    if (body.newLabels.includes('latest')) return fail(400, 'invalid_body', 'The "latest" label is reserved and managed by Langfuse');
    const versions = data.prompts.filter((p) => p.name === name);
    const target = versions.find((p) => p.version === version);
    if (!target) return fail(404, 'resource_not_found', `Prompt not found: '${name}' version ${version}`);
    const labels = body.newLabels as string[];
    for (const v of versions) if (v !== target) v.labels = v.labels.filter((l) => !labels.includes(l));
    target.labels = [...new Set([...target.labels, ...labels])];
    send(200, promptView(target));
  }

  function listPrompts(q: URLSearchParams): void {
    const paging = pageOf(q);
    if (!paging) return fail(400, 'invalid_query', 'page and limit must be whole numbers from 1 (limit at most 100)');
    const names = [...new Set(data.prompts.map((p) => p.name))].filter((n) => !q.get('name') || n === q.get('name')).sort();
    const metas = names
      .map((name) => {
        const versions = data.prompts.filter((p) => p.name === name).sort((a, b) => a.version - b.version);
        const last = versions[versions.length - 1]!;
        return { name, type: last.type, versions: versions.map((v) => v.version), labels: [...new Set(versions.flatMap((v) => v.labels))], tags: last.tags, lastUpdatedAt: last.createdAt, lastConfig: last.config };
      })
      .filter((m) => !q.get('label') || m.labels.includes(q.get('label')!));
    send(200, paged(metas, paging));
  }

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
    failNext(count) {
      failing = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function pageOf(q: URLSearchParams): { page: number; limit: number } | undefined {
  const page = Number(q.get('page') ?? 1);
  const limit = Number(q.get('limit') ?? 50);
  return Number.isInteger(page) && page >= 1 && Number.isInteger(limit) && limit >= 1 && limit <= 100 ? { page, limit } : undefined;
}

function paged<T>(all: readonly T[], { page, limit }: { page: number; limit: number }): { data: T[]; meta: { page: number; limit: number; totalItems: number; totalPages: number } } {
  return { data: all.slice((page - 1) * limit, page * limit), meta: { page, limit, totalItems: all.length, totalPages: Math.ceil(all.length / limit) } };
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
