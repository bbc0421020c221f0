// The suite being looked at, remembered across pages and reloads; defaults to the first suite.
import { useState } from 'react';
import { readStored, writeStored } from '../../../lib/storage.ts';

const KEY = 'firstcall.suite';

export function useSelectedSuite(available: readonly string[]): [string, (suite: string) => void] {
  const [stored, setStored] = useState(() => readStored(KEY) ?? '');
  const suite = available.includes(stored) ? stored : (available[0] ?? '');
  const set = (next: string) => {
    writeStored(KEY, next);
    setStored(next);
  };
  return [suite, set];
}
