// A fetch for the openai SDK over node:http(s) with keep-alive agents: the SDK needs only a function
// that takes (url, init) and resolves a Response. Node 20's global fetch (undici) costs ~0.5 ms of
// CPU per call more than this (web streams, Request/Response cloning, abort-signal plumbing), which
// is most of the eval runner's main-thread time against a fast model server.
import http from 'node:http';
import https from 'node:https';

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 256 }), https: new https.Agent({ keepAlive: true, maxSockets: 256 }) };

export function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
  const headers: Record<string, string> = {};
  if (init.headers) for (const [k, v] of new Headers(init.headers)) headers[k] = v;
  const body = init.body == null ? undefined : typeof init.body === 'string' ? init.body : init.body instanceof Uint8Array ? init.body : undefined;
  if (init.body != null && body === undefined) return globalThis.fetch(input, init); // streams, FormData, Blob: leave them to undici
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      { protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const item of Array.isArray(v) ? v : [v]) out.append(k, item);
          const status = res.statusCode ?? 0;
          const noBody = status === 204 || status === 304 || init.method === 'HEAD';
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: out }));
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
