// A local HTTP server speaking the OpenAI files and fine-tuning jobs protocol, for tests: uploads
// (multipart), JSONL validation, jobs that advance validating_files → running → succeeded (or
// failed) one step per GET, events and listing. It checks the bearer key and records every request.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockFineTuneRequest {
  method: string;
  /** Path without the query, e.g. `/v1/files`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, when the request sent JSON. */
  json?: unknown;
  /** The multipart form fields, when the request sent multipart/form-data. */
  form?: Record<string, MockFormField>;
}

export interface MockFormField {
  /** Set for file parts. */
  filename?: string;
  contentType?: string;
  content: Buffer;
}

export interface MockStoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  created_at: number;
  content: Buffer;
}

export type MockJobStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface MockJob {
  id: string;
  model: string;
  suffix: string | null;
  training_file: string;
  validation_file: string | null;
  status: MockJobStatus;
  created_at: number;
  finished_at: number | null;
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  /** Raw create body (hyperparameters, method, seed…). */
  body: Record<string, unknown>;
  polls: number;
  events: Array<{ id: string; created_at: number; level: 'info' | 'warn' | 'error'; message: string }>;
}

export interface MockFineTuneOptions {
  /** The only key accepted (default `sk-mock-finetune`); null accepts any request, even without a key. */
  apiKey?: string | null;
  /** How a job ends once running (default succeeded). */
  outcome?: (job: MockJob) => 'succeeded' | 'failed';
  /** Organisation segment of fine-tuned model names (default `firstcall`). */
  organization?: string;
}

export interface MockFineTuneServer {
  /** Base URL including `/v1`, ready for the openai client's `baseURL`. */
  url: string;
  apiKey: string | null;
  requests: MockFineTuneRequest[];
  files: Map<string, MockStoredFile>;
  jobs: Map<string, MockJob>;
  close(): Promise<void>;
}

const apiError = (message: string, type = 'invalid_request_error', param: string | null = null, code: string | null = null) => ({
  error: { message, type, param, code },
});

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Enough of RFC 7578 for what HTTP clients send: parts split on the boundary, headers, raw bytes. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, MockFormField> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const fields: Record<string, MockFormField> = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) {
        fields[name] = { content: Buffer.from(content), ...(filename === undefined ? {} : { filename }), ...(type ? { contentType: type } : {}) };
      }
    }
    start = next;
  }
  return fields;
}

/** The first problem OpenAI would report for a chat fine-tuning file, or undefined when it is fine. */
export function chatJsonlProblem(content: string): string | undefined {
  const lines = content.split('\n').map((l) => l.replace(/\r$/, ''));
  let examples = 0;
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return `Invalid file format. Line ${index + 1} is not valid JSON.`;
    }
    const messages = (record as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages)) return `Invalid file format. Line ${index + 1}, key "messages": must be an array of messages.`;
    if (messages.length === 0) return `Invalid file format. Line ${index + 1}, key "messages": At least one message must be present.`;
    examples++;
  }
  return examples === 0 ? 'Invalid file format. The file contains no examples.' : undefined;
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

function publicJob(job: MockJob): Record<string, unknown> {
  return {
    object: 'fine_tuning.job',
    id: job.id,
    model: job.model,
    created_at: job.created_at,
    finished_at: job.finished_at,
    fine_tuned_model: job.fine_tuned_model,
    organization_id: 'org-mock',
    result_files: [],
    status: job.status,
    validation_file: job.validation_file,
    training_file: job.training_file,
    hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto' },
    trained_tokens: job.trained_tokens,
    error: job.error,
    seed: 42,
    suffix: job.suffix,
    estimated_finish: null,
    integrations: [],
    method: job.body.method ?? { type: 'supervised' },
  };
}

function publicFile(file: MockStoredFile): Record<string, unknown> {
  return { object: 'file', id: file.id, bytes: file.bytes, created_at: file.created_at, filename: file.filename, purpose: file.purpose, status: 'processed' };
}

/** A list page: newest first, `limit` (default 20) and `after` (an id) like OpenAI's cursor pages. */
function page<T extends { id: string }>(items: T[], query: URLSearchParams, render: (item: T) => unknown): Record<string, unknown> {
  const limit = Math.max(1, Math.min(100, Number(query.get('limit') ?? 20) || 20));
  const after = query.get('after');
  const from = after ? items.findIndex((i) => i.id === after) + 1 : 0;
  const slice = items.slice(from, from + limit);
  return { object: 'list', data: slice.map(render), has_more: from + limit < items.length };
}

function advance(job: MockJob, outcome: 'succeeded' | 'failed', organization: string): void {
  const event = (message: string, level: 'info' | 'error' = 'info') =>
    job.events.push({ id: newId('ftevent'), created_at: now(), level, message });
  job.polls++;
  if (job.status === 'validating_files') {
    job.status = 'running';
    event('Files validated, moving job to queued state');
    event('Fine-tuning job started');
    return;
  }
  if (job.status !== 'running') return;
  job.finished_at = now();
  if (outcome === 'failed') {
    job.status = 'failed';
    job.error = { code: 'invalid_training_file', message: 'The job failed due to an invalid training file.', param: 'training_file' };
    event('The job failed due to an invalid training file.', 'error');
    return;
  }
  job.status = 'succeeded';
  job.trained_tokens = 1234;
  job.fine_tuned_model = `ft:${job.model}:${organization}:${job.suffix ?? ''}:${job.id.slice(-8)}`;
  event('Step 1/1: training loss=0.42');
  event(`New fine-tuned model created: ${job.fine_tuned_model}`);
  event('The job has successfully completed');
}

export async function startMockFineTuneServer(options: MockFineTuneOptions = {}): Promise<MockFineTuneServer> {
  const apiKey = options.apiKey === undefined ? 'sk-mock-finetune' : options.apiKey;
  const outcome = options.outcome ?? (() => 'succeeded' as const);
  const organization = options.organization ?? 'firstcall';
  const requests: MockFineTuneRequest[] = [];
  const files = new Map<string, MockStoredFile>();
  const jobs = new Map<string, MockJob>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const contentType = req.headers['content-type'] ?? '';
    const request: MockFineTuneRequest = { method, path, query: url.searchParams, headers: req.headers };
    if (contentType.startsWith('multipart/form-data')) request.form = parseMultipart(raw, contentType);
    else if (raw.length > 0) {
      try {
        request.json = JSON.parse(raw.toString('utf8'));
      } catch {
        requests.push(request);
        return send(res, 400, apiError('We could not parse the JSON body of your request.'));
      }
    }
    requests.push(request);

    if (apiKey !== null) {
      const given = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
      if (given !== apiKey) {
        // Harsher than OpenAI (which masks most of it): the whole key is echoed, so redaction gets tested.
        const message = given ? `Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.` : "You didn't provide an API key.";
        return send(res, 401, apiError(message, 'invalid_request_error', null, 'invalid_api_key'));
      }
    }

    const segments = path.split('/').filter(Boolean); // ['v1', 'files', id?] …
    if (segments[0] !== 'v1') return send(res, 404, apiError(`Invalid URL (${method} ${path})`));
    const [, resource, sub, id, tail] = segments;

    if (resource === 'files' && method === 'POST' && sub === undefined) {
      const purpose = request.form?.purpose?.content.toString('utf8');
      const file = request.form?.file;
      if (!request.form) return send(res, 400, apiError('The request must be multipart/form-data.'));
      if (!purpose) return send(res, 400, apiError("Missing required parameter: 'purpose'.", 'invalid_request_error', 'purpose'));
      if (!file) return send(res, 400, apiError("Missing required parameter: 'file'.", 'invalid_request_error', 'file'));
      if (purpose === 'fine-tune') {
        const problem = chatJsonlProblem(file.content.toString('utf8'));
        if (problem) return send(res, 400, apiError(problem, 'invalid_request_error', 'file', 'invalid_file_format'));
      }
      const stored: MockStoredFile = {
        id: newId('file'),
        filename: file.filename ?? 'upload',
        purpose,
        bytes: file.content.length,
        created_at: now(),
        content: file.content,
      };
      files.set(stored.id, stored);
      return send(res, 200, publicFile(stored));
    }
    if (resource === 'files' && method === 'GET' && sub !== undefined && id === undefined) {
      const stored = files.get(sub);
      return stored ? send(res, 200, publicFile(stored)) : send(res, 404, apiError(`No such File object: ${sub}`, 'invalid_request_error', 'id'));
    }

    if (resource === 'fine_tuning' && sub === 'jobs') {
      if (method === 'POST' && id === undefined) {
        const body = (request.json ?? {}) as Record<string, unknown>;
        const model = typeof body.model === 'string' ? body.model : '';
        const training = typeof body.training_file === 'string' ? body.training_file : '';
        const validation = typeof body.validation_file === 'string' ? body.validation_file : null;
        if (!model) return send(res, 400, apiError("Missing required parameter: 'model'.", 'invalid_request_error', 'model'));
        if (!files.has(training)) return send(res, 400, apiError(`invalid training_file: ${training}`, 'invalid_request_error', 'training_file'));
        if (validation !== null && !files.has(validation)) {
          return send(res, 400, apiError(`invalid validation_file: ${validation}`, 'invalid_request_error', 'validation_file'));
        }
        const job: MockJob = {
          id: newId('ftjob'),
          model,
          suffix: typeof body.suffix === 'string' ? body.suffix : null,
          training_file: training,
          validation_file: validation,
          status: 'validating_files',
          created_at: now(),
          finished_at: null,
          fine_tuned_model: null,
          trained_tokens: null,
          error: null,
          body,
          polls: 0,
          events: [],
        };
        job.events.push({ id: newId('ftevent'), created_at: now(), level: 'info', message: `Created fine-tuning job: ${job.id}` });
        jobs.set(job.id, job);
        return send(res, 200, publicJob(job));
      }
      if (method === 'GET' && id === undefined) {
        return send(res, 200, page([...jobs.values()].reverse(), url.searchParams, publicJob));
      }
      const job = id === undefined ? undefined : jobs.get(id);
      if (!job) return send(res, 404, apiError(`Could not find fine-tune job: ${id}`, 'invalid_request_error', 'fine_tune_id'));
      if (method === 'GET' && tail === undefined) {
        advance(job, outcome(job), organization);
        return send(res, 200, publicJob(job));
      }
      if (method === 'GET' && tail === 'events') {
        const events = [...job.events].reverse().map((e) => ({ ...e, object: 'fine_tuning.job.event', type: 'message', data: {} }));
        return send(res, 200, page(events, url.searchParams, (e) => e));
      }
    }
    return send(res, 404, apiError(`Invalid URL (${method} ${path})`));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, apiError(error instanceof Error ? error.message : String(error), 'server_error')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    files,
    jobs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
