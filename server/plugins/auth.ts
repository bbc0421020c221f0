// API-key authentication and role checks. Every /api and /v1 route must declare `config.roles`
// (or `config.public: true`); a route that declares neither fails at startup, so none is left open
// by accident. Repeated failures from one address are slowed down with 429s.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyInfo, Role } from '../domain/label.ts';
import type { ApiKeyVerifier } from '../services/api-keys.ts';
import { errorBody } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    viewer: ApiKeyInfo;
  }
}

export interface AuthOptions {
  verifier: ApiKeyVerifier;
  /** Failed authentications allowed per address per window before 429. */
  maxFailures?: number;
  windowMs?: number;
}

export interface RouteRoles {
  method: string;
  url: string;
  roles: readonly Role[] | 'public';
}

/** Counts failures per address in fixed windows. */
class FailureLimiter {
  private readonly failures = new Map<string, { count: number; until: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
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

export const authPlugin = fp(async (app: FastifyInstance, options: AuthOptions) => {
  const limiter = new FailureLimiter(options.maxFailures ?? 20, options.windowMs ?? 60_000);
  const table: RouteRoles[] = [];
  app.decorate('routeRoles', table);
  app.decorateRequest('viewer', null as unknown as ApiKeyInfo);

  app.addHook('onRoute', (route) => {
    if (!/^\/(api|v1)\//.test(route.url)) return;
    const config = route.config ?? {};
    if (!config.public && !config.roles) throw new Error(`route ${String(route.method)} ${route.url} declares no roles`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, roles: config.public ? 'public' : config.roles! });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const config = request.routeOptions.config;
    if (!/^\/(api|v1)\//.test(request.url) || config.public || !config.roles) return;
    const retryAfter = limiter.blocked(request.ip);
    if (retryAfter !== undefined) {
      return reply.status(429).header('retry-after', String(retryAfter)).send(errorBody('rate_limited', 'too many failed sign-ins from this address; try again later'));
    }
    const header = request.headers.authorization ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : String(request.headers['x-api-key'] ?? '');
    const viewer = key ? await options.verifier.verify(key) : undefined;
    if (!viewer) {
      limiter.fail(request.ip);
      return reply.status(401).send(errorBody('unauthorized', key ? 'unknown or revoked API key' : 'missing API key: send Authorization: Bearer <key>'));
    }
    if (!config.roles.includes(viewer.role)) {
      return reply.status(403).send(errorBody('forbidden', `role ${viewer.role} may not ${request.method} ${request.routeOptions.url}`));
    }
    request.viewer = viewer;
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    routeRoles: RouteRoles[];
  }
}
