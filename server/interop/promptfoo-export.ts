// The folder `firstcall export promptfoo` writes, as data: promptfooconfig.yaml (the suite's cases as
// tests, each candidate as a file:// provider, firstcall's scorers as javascript assertions with
// metric names and thresholds), the small .mjs files promptfoo loads, and the README. No I/O here;
// server/services/promptfoo.ts writes the files; server/services/promptfoo-runtime.ts is what the .mjs files run.
import { stringify } from 'yaml';
import { z } from 'zod';
import { CandidateSpec, PromptTemplate, SuiteCase, type Candidate, type Suite } from '../domain/eval.ts';

/** Written into promptfooconfig.yaml's `metadata.firstcall`; `firstcall import promptfoo` reads it back from the results. */
export const EXPORT_FORMAT = 'firstcall-promptfoo/1';
export const CONFIG_FILE = 'promptfooconfig.yaml';
export const CASES_FILE = 'cases.json';
export const KNOWLEDGE_BASE_FILE = 'knowledge-base.json';

/**
 * The suite the tests came from. Its hash is written `sha256:<hex>`: promptfoo redacts any bare
 * string of 64 or more letters and digits from the config it saves with its results, as a likely secret.
 */
export const SuiteRef = z.object({ name: z.string(), version: z.number().int().min(1), hash: z.string().regex(/^sha256:[0-9a-f]+$/, 'expected sha256:<hex>') });
export type SuiteRef = z.infer<typeof SuiteRef>;

export const suiteRef = (suite: Pick<Suite, 'name' | 'version' | 'hash'>): SuiteRef => ({ name: suite.name, version: suite.version, hash: `sha256:${suite.hash}` });
/** Whether a reference names this suite version. */
export const refersTo = (ref: SuiteRef, suite: Pick<Suite, 'hash'>) => ref.hash === `sha256:${suite.hash}`;

/** cases.json: the suite's cases as firstcall stores them (what the providers and scorers read). */
export const ExportedCases = z.object({ format: z.literal(EXPORT_FORMAT), suite: SuiteRef, cases: z.array(SuiteCase) });

/** `metadata.firstcall` of the config (kept in promptfoo's results as `config.metadata.firstcall`). */
export const ExportMetadata = z.object({ format: z.literal(EXPORT_FORMAT), suite: SuiteRef, scorers: z.array(z.string()) });
export type ExportMetadata = z.infer<typeof ExportMetadata>;

/** A firstcall provider's `config` in promptfooconfig.yaml: the candidate as loaded, and the runner's retry settings. */
export const FirstcallProviderConfig = z.object({
  candidate: z.object({ spec: CandidateSpec, template: PromptTemplate, hash: z.string() }),
  retries: z.number().int().min(0).max(20).default(4),
  timeout_ms: z.number().int().min(100).default(60_000),
});
export type FirstcallProviderConfig = z.infer<typeof FirstcallProviderConfig>;

/** What the firstcall provider adds to each response (`response.metadata.firstcall`), which the scorers and the importer read. */
export const ResponseMetadata = z.object({
  case_id: z.string(),
  model: z.string(),
  candidate_hash: z.string(),
  latency_ms: z.number(),
  attempts: z.number().int(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).optional(),
  /**
   * The acting tool calls of the reply that were not refused (a hand-off is read from the reply, as
   * run-eval reads it), so accuracy can tell an action taken from one only stated. Absent for
   * candidates that act off the record (replay:human).
   */
  acted: z.array(z.string()).optional(),
});
export type ResponseMetadata = z.infer<typeof ResponseMetadata>;

export interface ExportScorer {
  name: string;
  description: string;
  threshold: number;
}

export interface PromptfooExportInput {
  suite: Suite;
  candidates: readonly Candidate[];
  scorers: readonly ExportScorer[];
  /** The firstcall install the .mjs files load the runtime from (absolute). */
  firstcallRoot: string;
  /** Where promptfoo's CLI is, for the README's command line. */
  promptfooBin: string;
}

/** Every file of the folder, by name relative to it (the knowledge base is added by the service when a local:kb candidate needs it). */
export function promptfooExportFiles(input: PromptfooExportInput): Record<string, string> {
  const { suite, candidates, scorers } = input;
  const metadata: ExportMetadata = { format: EXPORT_FORMAT, suite: suiteRef(suite), scorers: scorers.map((s) => s.name) };
  const config = {
    description: `firstcall suite ${suite.name} v${suite.version} (${suite.cases.length} cases): ${candidates.map((c) => c.spec.name).join(', ')}`,
    // The firstcall provider renders the full prompt itself (system prompt with the customer's record as of the contact date, few-shot, history), as firstcall eval does; promptfoo shows the customer's message.
    prompts: ['{{customer_message}}'],
    providers: candidates.map((c) => ({
      id: 'file://provider.mjs',
      label: c.spec.name,
      config: { candidate: { spec: c.spec, template: c.template, hash: c.hash }, retries: 4, timeout_ms: 60_000 } satisfies FirstcallProviderConfig,
    })),
    defaultTest: {
      assert: scorers.map((s) => ({ type: 'javascript', value: `file://assertions.mjs:${s.name}`, metric: s.name, threshold: s.threshold })),
    },
    tests: suite.cases.map((c) => ({
      description: `${c.case_id} (${c.language}${c.intent ? `, ${c.intent}` : ''})`,
      vars: { case_id: c.case_id, language: c.language, intent: c.intent ?? '', customer_message: c.customer_message, reference_answer: c.reference_answer },
    })),
    metadata: { firstcall: metadata },
  };
  const header = `# Written by \`firstcall export promptfoo\` from suite ${suite.name} v${suite.version} (${suite.hash.slice(0, 12)}); see README.md.\n`;
  const cases = { format: EXPORT_FORMAT, suite: metadata.suite, cases: suite.cases } satisfies z.input<typeof ExportedCases>;
  return {
    [CONFIG_FILE]: header + stringify(config, { lineWidth: 0 }),
    [CASES_FILE]: `${JSON.stringify(cases, null, 1)}\n`,
    'firstcall.mjs': loaderModule(input.firstcallRoot),
    'provider.mjs': PROVIDER_MODULE,
    'assertions.mjs': assertionsModule(scorers),
    'README.md': readme(input),
  };
}

/** The command line that runs the folder with promptfoo and writes results firstcall can import. */
export function promptfooCommand(promptfooBin: string, dir: string): string {
  return `PROMPTFOO_DISABLE_TELEMETRY=1 ${promptfooBin} eval -c ${join(dir, CONFIG_FILE)} -o ${join(dir, 'results.json')} --no-cache`;
}

const join = (dir: string, file: string) => (dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`);

function loaderModule(root: string): string {
  return `// Written by \`firstcall export promptfoo\`: loads firstcall's runtime (its TypeScript, through tsx's
// register API) from the firstcall install that wrote this folder; set FIRSTCALL_HOME to use another.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const home = process.env.FIRSTCALL_HOME || ${JSON.stringify(root)};
const tsxDir = dirname(createRequire(join(home, 'package.json')).resolve('tsx/package.json'));
const { register } = await import(pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href);
const tsx = register({ namespace: 'firstcall-promptfoo' });
const runtime = await tsx.import(pathToFileURL(join(home, 'server', 'services', 'promptfoo-runtime.ts')).href, import.meta.url);

/** This folder, opened by firstcall's runtime: callProvider(config, vars, signal) and score(name, output, context). */
export const exported = runtime.openExport(dirname(fileURLToPath(import.meta.url)));
`;
}

const PROVIDER_MODULE = `// Written by \`firstcall export promptfoo\`: a promptfoo provider that answers each case with firstcall's
// provider registry (local:kb, local:agent, openai:…, hf:…), the candidate in its config, and the
// prompt rendered as firstcall eval renders it.
import { exported } from './firstcall.mjs';

export default class FirstcallProvider {
  constructor(options = {}) {
    this.options = options;
    this.config = options.config ?? {};
    this.label = options.label;
  }

  id() {
    return this.options.id ?? 'file://provider.mjs';
  }

  toString() {
    return \`[firstcall \${this.config.candidate?.spec?.model ?? 'provider'}]\`;
  }

  async callApi(_prompt, context, options) {
    return exported.callProvider(this.config, context?.vars ?? {}, options?.abortSignal);
  }
}
`;

function assertionsModule(scorers: readonly ExportScorer[]): string {
  const lines = scorers.map((s) => `/** ${s.description} (passes at ${s.threshold}). */\nexport const ${s.name} = (output, context) => exported.score(${JSON.stringify(s.name)}, output, context);`);
  return `// Written by \`firstcall export promptfoo\`: firstcall's scorers as promptfoo javascript assertions, each
// returning { pass, score, reason } from server/scorers/registry.ts.
import { exported } from './firstcall.mjs';

${lines.join('\n\n')}
`;
}

function readme(input: PromptfooExportInput): string {
  const { suite, candidates, scorers } = input;
  return `# firstcall suite ${suite.name} v${suite.version} for promptfoo

Written by \`firstcall export promptfoo\`. Run it with promptfoo 0.121.x (the newest that runs on Node 20):

\`\`\`bash
${promptfooCommand(input.promptfooBin, '.')}
\`\`\`

and bring the results back into firstcall's leaderboard and compare views:

\`\`\`bash
firstcall import promptfoo results.json
\`\`\`

- **Tests**: the ${suite.cases.length} cases of suite \`${suite.name}\` v${suite.version} (\`${CASES_FILE}\` holds them in full: history, the customer's record, required facts, the reference answer; tests carry \`case_id\`).
- **Providers**: ${candidates.map((c) => `\`${c.spec.name}\` (\`${c.spec.model}\`)`).join(', ')}, each a \`file://provider.mjs\` provider that runs firstcall's provider registry with the candidate in its \`config\`; the prompt is rendered by firstcall (the customer's record as of the contact date, the template's rules and few-shot examples), so the model sees what \`firstcall eval\` sends. \`openai:\` candidates read \`FIRSTCALL_OPENAI_BASE_URL\` / \`OPENAI_BASE_URL\` and \`FIRSTCALL_OPENAI_API_KEY\` / \`OPENAI_API_KEY\`${candidates.some((c) => c.spec.model === 'local:kb') ? `; \`local:kb\` answers from \`${KNOWLEDGE_BASE_FILE}\`, the store's knowledge base at export time` : ''}.
- **Assertions**: firstcall's scorers ${scorers.map((s) => `\`${s.name}\` (${s.threshold})`).join(', ')} as \`javascript\` assertions (\`file://assertions.mjs:<name>\`) with \`metric\` names and firstcall's pass thresholds. A score firstcall counts as n/a (nothing to check it against) carries \`metadata.na\`; promptfoo averages it in, firstcall leaves it out again on import.
- The \`.mjs\` files load firstcall's TypeScript from \`${input.firstcallRoot}\` (set \`FIRSTCALL_HOME\` to use another install).
- The folder holds the suite's cases (redacted at ingest, like the store): treat it like the suite file.

Add your own assertions as usual: \`firstcall import promptfoo\` keeps metrics it does not know under their own names. A provider you add is scored by firstcall's assertions too (with promptfoo's latency and token counts), but only the firstcall providers are imported: a firstcall run needs a firstcall candidate.
`;
}
