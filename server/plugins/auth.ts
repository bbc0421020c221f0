// API-key authentication and role checks, bound to the route the router matched (its
// `config.roles` / `config.public`), never to the URL text: however a path is spelled
// (percent-encoding, case, `;`, double slashes), the route that answers is the route that is checked.
// Deny by default: a matched route needs a key unless it declares `public: true`; an /api or /v1 route
// that declares neither roles nor public fails at startup. Register this plugin before any plugin
// that adds routes, since fastify copies hooks into a child context when the child is created.
// Refusals take the matched route's error shape (OpenAI's on /v1, see error-handler.ts).
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../domain/errors.ts';
import type { ApiKeyInfo, Role } from '../domain/label.ts';
import type { ApiKeyVerifier } from '../services/api-keys.ts';
import { sendError } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated key; reading it on a request that has none is a 401, never a 500. */
    viewer: ApiKeyInfo;
  }
  interface FastifyInstance {
    /** Every route (HEAD twins aside) with who may call it, as declared; `[]` means nobody. */
    routeRoles: RouteRoles[];
  }
}

export interface AuthOptions {
  verifier: ApiKeyVerifier;
  /** Invalid keys allowed per address per window before further invalid keys get 429. */
  maxFailures?: number;
  windowMs?: number;
}

export interface RouteRoles {
  method: string;
  url: string;
  roles: readonly Role[] | 'public';
}

/** Paths whose routes must declare their roles (or `public`) explicitly. */
const DECLARED_PREFIX = /^\/(api|v1)(\/|$)/;
const kViewer = Symbol('firstcall.viewer');

/**
 * Counts invalid keys per address in fixed windows. Only failures are counted and only failures are
 * refused: a valid key from the same address keeps working (keys carry 192 random bits, so the
 * limit is about the cost of floods, not about guessing).
 */
class FailureLimiter {
  private readonly failures = new Map<string, { count: number; until: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
  /** Seconds until the address may try again, when it is over the limit. */
  blocked(address: string): number | undefined {
    const entry = this.failures.get(address);
    if (!entry || entry.until <= Date.now()) return undefined;
    return entry.count >= this.max ? Math.ceil((entry.until - Date.now()) / 1000) : undefined;
  }
  fail(address: string): void {
    const now = Date.now();
    const entry = this.failures.get(address);
    if (!entry || entry.until <= now) this.failures.set(address, { count: 1, until: now + this.windowMs });
    else entry.count++;
    if (this.failures.size > 10_000) for (const [k, v] of this.failures) if (v.until <= now) this.failures.delete(k);
  }
}

function presentedKey(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return (Array.isArray(apiKey) ? apiKey[0] : apiKey)?.trim() ?? '';
}

export const authPlugin = fp(async (app: FastifyInstance, options: AuthOptions) => {
  const limiter = new FailureLimiter(options.maxFailures ?? 20, options.windowMs ?? 60_000);
  // Config is read when asked for: a `publicRoutes` scope marks its routes after this hook has run.
  const routes: { method: string; url: string; route: RouteOptions }[] = [];
  app.decorate('routeRoles', {
    getter: () => routes.map(({ method, url, route }) => ({ method, url, roles: route.config?.public ? ('public' as const) : (route.config?.roles ?? []) })),
  });
  app.decorateRequest('viewer', {
    getter(this: FastifyRequest): ApiKeyInfo {
      const viewer = (this as unknown as Record<symbol, ApiKeyInfo | undefined>)[kViewer];
      if (!viewer) throw new AppError('unauthorized', 'this request carries no authenticated API key');
      return viewer;
    },
    setter(this: FastifyRequest, viewer: ApiKeyInfo) {
      (this as unknown as Record<symbol, ApiKeyInfo>)[kViewer] = viewer;
    },
  });

  app.addHook('onRoute', (route) => {
    const config = route.config ?? {};
    if (DECLARED_PREFIX.test(route.url) && !config.public && !config.roles) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no roles (config.roles) and is not public`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, route });
  });

  app.addHook('onRequest', async (request, reply) => {
    // The not-found handler matched no route and serves nothing protected (a JSON 404 or the UI shell).
    if (request.is404) return;
    const config = request.routeOptions.config;
    if (config.public === true) return;
    const key = presentedKey(request);
    if (!key) return sendError(request, reply, 401, 'unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const viewer = await options.verifier.verify(key);
    if (!viewer) {
      const retryAfter = limiter.blocked(request.ip);
      if (retryAfter !== undefined) {
        return sendError(request, reply.header('retry-after', String(retryAfter)), 429, 'rate_limited', 'too many invalid API keys from this address; try again later');
      }
      limiter.fail(request.ip);
      return sendError(request, reply, 401, 'unauthorized', 'unknown or revoked API key');
    }
    if (!config.roles?.includes(viewer.role)) {
      return sendError(request, reply, 403, 'forbidden', `role ${viewer.role} may not ${request.method} ${request.routeOptions.url}`);
    }
    request.viewer = viewer;
  });
});

/**
 * A plugin whose routes anyone may call (the web UI's files, /docs): `register` adds them inside a
 * scope that marks each of its routes `public`, so no route outside it is opened by accident.
 */
export function publicRoutes(register: (scope: FastifyInstance) => Promise<void>) {
  return async (scope: FastifyInstance) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await register(scope);
  };
}
