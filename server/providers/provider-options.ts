// Parses a provider's own options with its schema: bad options are a usage error naming the provider.
import type { z } from 'zod';
import { usageError } from '../domain/errors.ts';

export function parseProviderOptions<S extends z.ZodType>(provider: string, schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw usageError(`bad options for provider ${provider}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** A setting from the first of its sources that holds more than blanks (an option, then environment variables), trimmed. */
export function firstSet(...sources: (string | undefined)[]): string | undefined {
  for (const value of sources) if (value && value.trim()) return value.trim();
  return undefined;
}
