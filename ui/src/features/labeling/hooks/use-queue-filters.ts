// Queue filters and the dialogue being labeled, both remembered across reloads.
import { useCallback, useState } from 'react';
import { z } from 'zod';
import { QueueFilters } from '../../../lib/contract.ts';
import { readStored, writeStored } from '../../../lib/storage.ts';

const FILTERS_STORAGE = 'firstcall.queueFilters';
/** Under `firstcall.user.`: forgotten on sign-out. */
const CURRENT_STORAGE = 'firstcall.user.currentDialogue';

/** The request's filters as stored (JSON keeps `uncertain` a boolean; the query string spells it). */
const StoredFilters = QueueFilters.extend({ uncertain: z.boolean().optional() });

/** Drops empty values so equal filters give equal query keys. */
export function cleanFilters(filters: QueueFilters): QueueFilters {
  const out: QueueFilters = {};
  for (const [name, value] of Object.entries(filters) as [keyof QueueFilters, unknown][]) {
    if (value === undefined || value === '' || value === false) continue;
    (out as Record<string, unknown>)[name] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

function readFilters(): QueueFilters {
  try {
    const parsed = StoredFilters.safeParse(JSON.parse(readStored(FILTERS_STORAGE) ?? '{}'));
    return parsed.success ? cleanFilters(parsed.data) : {};
  } catch {
    return {};
  }
}

export function useQueueFilters() {
  const [filters, setState] = useState<QueueFilters>(readFilters);
  const setFilters = useCallback((next: QueueFilters) => {
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
