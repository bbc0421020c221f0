// HTTP over node:http(s) with keep-alive agents, for the openai provider: `nodeHttpRequest` is one
// request with its body read whole (what the provider's chat-completions call uses directly), and
// `nodeHttpFetch` wraps it as a fetch for the openai SDK's other calls. Node 20's global fetch
// (undici) costs ~0.5 ms of CPU per call more than this (web streams, Request/Response cloning,
// abort-signal plumbing), which is most of the eval runner's main-thread time against a fast
// model server.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 256 }), https: new https.Agent({ keepAlive: true, maxSockets: 256 }) };

export interface NodeHttpResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request, the response body read whole. Rejects with `signal.reason` when the signal aborts it
 * (before or during the call), and with a `TypeError('fetch failed')` whose cause is the socket's
 * error otherwise, as fetch does.
 */
export function nodeHttpRequest(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; signal?: AbortSignal | undefined },
): Promise<NodeHttpResponse> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
  const { signal, body } = init;
  if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      { protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method, headers: init.headers, agent: secure ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
        });
      },
    );
    const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? (signal.reason ?? error) : new TypeError('fetch failed', { cause: error }));
    });
    request.end(body);
  });
}

/** The response's headers as a fetch `Headers`. */
export function headersOf(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) for (const item of Array.isArray(v) ? v : [v]) out.append(k, item);
  return out;
}

export function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const headers: Record<string, string> = {};
  if (init.headers) for (const [k, v] of new Headers(init.headers)) headers[k] = v;
  const body = init.body == null ? undefined : typeof init.body === 'string' ? init.body : init.body instanceof Uint8Array ? init.body : undefined;
  if (init.body != null && body === undefined) return globalThis.fetch(input, init); // streams, FormData, Blob: leave them to undici
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const method = init.method ?? 'GET';
  return nodeHttpRequest(url, { method, headers, body, signal: init.signal ?? undefined }).then((res) => {
    const noBody = res.status === 204 || res.status === 304 || method === 'HEAD';
    return new Response(noBody ? null : (res.body as Buffer<ArrayBuffer>), { status: res.status, statusText: res.statusText, headers: headersOf(res.headers) });
  });
}
