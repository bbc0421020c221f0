// Queue filters and the dialogue being labeled, both remembered across reloads.
import { useCallback, useState } from 'react';
import { z } from 'zod';
import { Language } from '../../../lib/contract.ts';
import { readStored, writeStored } from '../../../lib/storage.ts';
import type { QueueFilterValues } from '../api/get-queue-next.ts';

const FILTERS_STORAGE = 'firstcall.queueFilters';
/** Under `firstcall.user.`: forgotten on sign-out. */
const CURRENT_STORAGE = 'firstcall.user.currentDialogue';

const StoredFilters = z.object({
  language: Language.optional(),
  channel: z.string().optional(),
  intent: z.string().optional(),
  source: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  uncertain: z.boolean().optional(),
});

/** Drops empty values so equal filters give equal query keys. */
export function cleanFilters(filters: QueueFilterValues): QueueFilterValues {
  const out: QueueFilterValues = {};
  for (const [name, value] of Object.entries(filters) as [keyof QueueFilterValues, unknown][]) {
    if (value === undefined || value === '' || value === false) continue;
    (out as Record<string, unknown>)[name] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

function readFilters(): QueueFilterValues {
  try {
    const parsed = StoredFilters.safeParse(JSON.parse(readStored(FILTERS_STORAGE) ?? '{}'));
    return parsed.success ? cleanFilters(parsed.data) : {};
  } catch {
    return {};
  }
}

export function useQueueFilters() {
  const [filters, setState] = useState<QueueFilterValues>(readFilters);
  const setFilters = useCallback((next: QueueFilterValues) => {
    const clean = cleanFilters(next);
    writeStored(FILTERS_STORAGE, JSON.stringify(clean));
    setState(clean);
  }, []);
  return [filters, setFilters] as const;
}

export function useCurrentDialogueId() {
  const [id, setState] = useState<string | null>(() => readStored(CURRENT_STORAGE));
  const setId = useCallback((next: string | null) => {
    writeStored(CURRENT_STORAGE, next);
    setState(next);
  }, []);
  return [id, setId] as const;
}
