// A local HTTP server speaking the OpenAI chat-completions protocol, for tests and benchmarks:
// POST …/chat/completions and GET …/models on 127.0.0.1, a fixed latency, keep-alive, no logging.
// The default answer is deterministic (derived from the last user message); a handler can replace
// any answer with an error, a delay, a malformed body or a dropped connection, or play an agent
// model that calls tools (`toolCallingHandler`: tool calls first, a text answer once it has the results).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockRequest {
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown;
  /** When the request arrived (Date.now()). */
  receivedAt: number;
}

export interface MockReply {
  /** 200 by default. */
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON; a string is sent as is (to send invalid JSON). */
  body?: unknown;
  /** Wait this long before sending anything, on top of the server's latency. */
  delayMs?: number;
  /** Send the status and headers at once, then wait this long before sending the body. */
  bodyDelayMs?: number;
  /** Drop the connection without answering (the client sees a network error). */
  destroy?: boolean;
}

/** Return a reply to override the default answer, or undefined to keep it. */
export type MockHandler = (request: MockRequest) => MockReply | undefined | Promise<MockReply | undefined>;

export interface MockOpenAIOptions {
  /** Delay before every answer, in ms (0 by default). */
  latencyMs?: number;
  handler?: MockHandler;
  /** What GET /v1/models lists and what answers report when the request names no model. */
  model?: string;
}

export interface MockOpenAIServer {
  /** Base URL including `/v1`, ready for the openai client's `baseURL` or an HF `endpointUrl`. */
  url: string;
  /** Every request received, in order. */
  requests: MockRequest[];
  /** TCP connections accepted so far (with keep-alive, far fewer than requests). */
  readonly connections: number;
  close(): Promise<void>;
}

interface ChatBody {
  model?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
}

const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** The default answer to a chat-completions body: `mock reply: <last user message>`, with usage. */
export function mockChatCompletion(body: unknown, sequence = 0, fallbackModel = 'mock-model'): Record<string, unknown> {
  const { model, messages = [] } = (typeof body === 'object' && body !== null ? body : {}) as ChatBody;
  const texts = Array.isArray(messages) ? messages.map((m) => (typeof m?.content === 'string' ? m.content : '')) : [];
  const lastUser = Array.isArray(messages) ? [...messages].reverse().find((m) => m?.role === 'user') : undefined;
  const question = typeof lastUser?.content === 'string' ? lastUser.content : '';
  const content = `mock reply: ${question.slice(0, 80)}`;
  const promptTokens = estimateTokens(texts.join(''));
  const completionTokens = estimateTokens(content);
  return {
    id: `chatcmpl-mock-${sequence}`,
    object: 'chat.completion',
    created: 1_767_225_600,
    model: typeof model === 'string' && model ? model : fallbackModel,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

/** One tool call a mock model makes; arguments as an object (sent as JSON text) or as raw text. */
export interface MockToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
  id?: string;
}

/** A chat completion whose message calls tools: `tool_calls`, content null, finish_reason `tool_calls`. */
export function mockToolCallCompletion(calls: readonly MockToolCall[], options: { model?: string; sequence?: number; content?: string | null } = {}): Record<string, unknown> {
  const sequence = options.sequence ?? 0;
  return {
    id: `chatcmpl-mock-${sequence}`,
    object: 'chat.completion',
    created: 1_767_225_600,
    model: options.model ?? 'mock-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: options.content ?? null,
          tool_calls: calls.map((c, i) => ({ id: c.id ?? `call_${sequence}_${i}`, type: 'function', function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) } })),
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5 * Math.max(1, calls.length), total_tokens: 10 + 5 * Math.max(1, calls.length) },
  };
}

interface ToolChatBody {
  model?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown }>;
}

/** The `tool` messages of a chat-completions body, in order, their content parsed as JSON when it is. */
export function toolResultsOf(body: unknown): Array<{ tool_call_id: string; content: unknown }> {
  const messages = (body as ToolChatBody | undefined)?.messages ?? [];
  return messages
    .filter((m) => m?.role === 'tool')
    .map((m) => {
      let content: unknown = m.content;
      try {
        content = JSON.parse(String(m.content));
      } catch {
        // Not JSON: keep the text.
      }
      return { tool_call_id: String(m.tool_call_id), content };
    });
}

/**
 * Plays an agent model that uses tools. A request with `tools` that already holds i assistant
 * tool-call messages gets round i's calls (i < rounds.length; rounds may depend on earlier results);
 * after the last round, or when the request says tool_choice "none", it answers `final(results)` as
 * text. Requests without `tools` get the default answer.
 */
export function toolCallingHandler(
  rounds: ReadonlyArray<readonly MockToolCall[] | ((results: ReturnType<typeof toolResultsOf>) => readonly MockToolCall[])>,
  final: (results: ReturnType<typeof toolResultsOf>) => string,
): MockHandler {
  let sequence = 0;
  return ({ method, path, body }) => {
    const chat = body as ToolChatBody | undefined;
    if (method !== 'POST' || !path.endsWith('/chat/completions') || !Array.isArray(chat?.tools)) return undefined;
    const done = (chat.messages ?? []).filter((m) => m?.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0).length;
    const results = toolResultsOf(body);
    const model = typeof chat.model === 'string' ? chat.model : 'mock-model';
    if (done < rounds.length && chat.tool_choice !== 'none') {
      const round = rounds[done]!;
      return { body: mockToolCallCompletion(typeof round === 'function' ? round(results) : round, { model, sequence: sequence++ }) };
    }
    const content = final(results);
    return { body: { id: `chatcmpl-mock-${sequence++}`, object: 'chat.completion', created: 1_767_225_600, model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }], usage: { prompt_tokens: 20, completion_tokens: estimateTokens(content), total_tokens: 20 + estimateTokens(content) } } };
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves after `ms`, or early when the response is closed (client gone, server closing). */
function wait(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

const apiError = (message: string, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: null } });

export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAIServer> {
  const latencyMs = options.latencyMs ?? 0;
  const model = options.model ?? 'mock-model';
  const requests: MockRequest[] = [];
  let sequence = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const request: MockRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, receivedAt: Date.now() };
      requests.push(request);
      const n = sequence++;

      const reply = options.handler ? await options.handler(request) : undefined;
      await wait(latencyMs + (reply?.delayMs ?? 0), res);
      if (reply?.destroy) {
        req.socket.destroy();
        return;
      }
      if (reply && (reply.status !== undefined || reply.body !== undefined)) {
        const status = reply.status ?? 200;
        const payload = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        if (reply.bodyDelayMs) {
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...reply.headers });
          res.flushHeaders();
          await wait(reply.bodyDelayMs, res);
          if (!res.destroyed) res.end(payload);
          return;
        }
        send(res, status, payload, reply.headers);
        return;
      }

      if (request.method === 'POST' && path.endsWith('/chat/completions')) {
        if (raw && body === undefined) return send(res, 400, apiError('the body is not valid JSON'));
        if ((body as { stream?: unknown } | undefined)?.stream === true) return send(res, 400, apiError('the mock server does not stream'));
        const messages = (body as ChatBody | undefined)?.messages;
        if (!Array.isArray(messages) || messages.length === 0) return send(res, 400, apiError("'messages' must be a non-empty array"));
        return send(res, 200, mockChatCompletion(body, n, model), reply?.headers);
      }
      if (request.method === 'GET' && path.endsWith('/models')) {
        return send(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 1_767_225_600, owned_by: 'firstcall' }] });
      }
      return send(res, 404, apiError(`no route ${request.method} ${path}`, 'not_found'));
    } catch (error) {
      send(res, 500, apiError(error instanceof Error ? error.message : String(error), 'server_error'));
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on('connection', () => connections++);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
