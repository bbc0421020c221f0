// Security headers on every response (UI, API, docs, errors): a Content-Security-Policy that lets a
// page run only this origin's scripts and styles, no framing, no MIME sniffing, no Referer.
// A small onSend hook rather than @fastify/helmet: five fixed headers and one per-route CSP choice.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const policy = (styleSrc: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSrc}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/** The built React UI: vite emits external script and style files only, and the favicon is `data:`. */
export const APP_CSP = policy("'self'");
/** Swagger UI at /docs writes inline styles, so only its pages allow them. */
export const DOCS_CSP = policy("'self' 'unsafe-inline'");

/**
 * The headers every response carries. A route that writes its response itself (server-sent events
 * through `reply.raw`) bypasses the onSend hook and passes these to `writeHead`.
 */
export function securityHeaders(csp: string = APP_CSP): Record<string, string> {
  return { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };
}

export const securityHeadersPlugin = fp(async (app: FastifyInstance, options: { docsPrefix?: string }) => {
  const docsPrefix = options.docsPrefix ?? '/docs';
  app.addHook('onSend', async (request, reply, payload) => {
    // The matched route decides (not the URL text); a 404 has no route and gets the strict policy.
    const route = request.is404 ? undefined : request.routeOptions.url;
    const docs = route !== undefined && (route === docsPrefix || route.startsWith(`${docsPrefix}/`));
    for (const [name, value] of Object.entries(securityHeaders(docs ? DOCS_CSP : APP_CSP))) reply.header(name, value);
    return payload;
  });
});
