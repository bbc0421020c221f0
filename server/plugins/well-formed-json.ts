// JSON request bodies must hold well-formed text. A lone surrogate (`"\ud800"`) is valid JSON but
// not valid Unicode; DuckDB, providers and later code fail on it with a 500. It is refused here,
// once for every route, with a 400 naming the field.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../domain/errors.ts';

// In a `u` regex a surrogate pair is one code point, so this class matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// The body arrives decoded from UTF-8, which cannot hold a lone surrogate (invalid bytes become
// U+FFFD), so one can only come from a `\uD800`–`\uDFFF` escape: without one the parsed body is not walked.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** The dotted path of the first string (or key) with a lone surrogate, `''` for the body itself. */
export function findLoneSurrogate(value: unknown): string | undefined {
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: join(path, String(i)) });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (const [key] of entries) if (LONE_SURROGATE.test(key)) return join(path, key.replace(new RegExp(LONE_SURROGATE.source, 'gu'), '\uFFFD'));
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: join(path, entries[i]![0]) });
    }
  }
  return undefined;
}

export const wellFormedJsonPlugin = fp(async (app: FastifyInstance) => {
  // fastify's own parser (with its prototype-poisoning checks), then the text check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parseJson(request, body as string, (error, parsed) => {
      if (error) return done(error, undefined);
      const path = SURROGATE_ESCAPE.test(body as string) ? findLoneSurrogate(parsed) : undefined;
      if (path === undefined) return done(null, parsed);
      done(new AppError('validation', `invalid body: ${path || 'body'} contains a lone surrogate (an unpaired \\ud800-\\udfff escape); text must be well-formed Unicode`), undefined);
    });
  });
});
