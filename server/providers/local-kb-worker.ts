// One worker thread of the offline bot (local-kb-pool.ts): de-identifies the knowledge base it is
// given and builds its index once, then answers cases off the main event loop.
import { parentPort, workerData } from 'node:worker_threads';
import type { PromptTemplate, SuiteCase } from '../domain/eval.ts';
import { buildKnowledgeBase, createLocalKbProvider, deidentifyEntries, type KbEntry, type KbSourceEntry, type LocalKbOptions } from './local-kb.ts';

export interface LocalKbWorkerData {
  /** As read from the store (with their customer's record), or already de-identified (no record). */
  entries: (KbSourceEntry | KbEntry)[];
  knownProducts: string[];
  options: Omit<LocalKbOptions, 'knowledgeBase'>;
}

/** To the worker: answer this case, with prompt template `templateId` (sent along the first time only: it is the same object for every answer of a config). */
export interface LocalKbJob {
  id: number;
  case: SuiteCase;
  templateId: number;
  template?: PromptTemplate;
}

/** Templates a worker keeps (the configs promoted lately). */
const MAX_TEMPLATES = 32;

/** From the worker: ready once built, then one answer or error per job. */
export type LocalKbWorkerMessage = { ready: true } | { id: number; text: string } | { id: number; error: string };

const { entries, knownProducts, options } = workerData as LocalKbWorkerData;
const deidentified = entries.map((e) => ('record' in e ? deidentifyEntries([e], knownProducts)[0]! : e));
const provider = createLocalKbProvider({ ...options, knowledgeBase: buildKnowledgeBase(deidentified) });
const port = parentPort!;
port.postMessage({ ready: true } satisfies LocalKbWorkerMessage);
const templates = new Map<number, PromptTemplate>();
port.on('message', (job: LocalKbJob) => {
  if (job.template) {
    templates.set(job.templateId, job.template);
    if (templates.size > MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
  }
  const template = templates.get(job.templateId);
  if (!template) {
    port.postMessage({ id: job.id, error: `prompt template ${job.templateId} was never sent to this worker` } satisfies LocalKbWorkerMessage);
    return;
  }
  provider.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: job.case, template }).then(
    (result) => port.postMessage({ id: job.id, text: result.text } satisfies LocalKbWorkerMessage),
    (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies LocalKbWorkerMessage),
  );
});
