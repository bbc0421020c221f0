// Reply runs (a suite) or conversation runs (a scenario set): which the runs and compare pages show,
// remembered across pages and reloads; `?kind=conversation` in the URL wins (links from elsewhere).
import { useState } from 'react';
import { RUN_KINDS, type RunKind } from '../../../lib/contract.ts';
import { readStored, writeStored } from '../../../lib/storage.ts';

const KEY = 'firstcall.runKind';
const isKind = (v: string | null): v is RunKind => v !== null && (RUN_KINDS as readonly string[]).includes(v);

export function useRunKind(): [RunKind, (kind: RunKind) => void] {
  const [kind, setKind] = useState<RunKind>(() => {
    const fromUrl = new URLSearchParams(window.location.search).get('kind');
    if (isKind(fromUrl)) return fromUrl;
    const stored = readStored(KEY);
    return isKind(stored) ? stored : 'reply';
  });
  const set = (next: RunKind) => {
    writeStored(KEY, next);
    setKind(next);
  };
  return [kind, set];
}

/** Where the scenario set being looked at is remembered (the suite: use-suite.ts's default). */
export const SCENARIO_SET_KEY = 'firstcall.scenarioSet';
