// The suite (or scenario set) being looked at, remembered across pages and reloads; defaults to the first one.
import { useState } from 'react';
import { readStored, writeStored } from '../../../lib/storage.ts';

const KEY = 'firstcall.suite';

export function useSelectedSuite(available: readonly string[], storageKey = KEY): [string, (suite: string) => void] {
  const [stored, setStored] = useState(() => readStored(storageKey) ?? '');
  const suite = available.includes(stored) ? stored : (available[0] ?? '');
  const set = (next: string) => {
    writeStored(storageKey, next);
    setStored(next);
  };
  return [suite, set];
}
