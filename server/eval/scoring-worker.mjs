// Worker-thread entry for offline scoring: TypeScript through bin/typescript.mjs (bundled), then the worker
// (a background thread: below the one that drives the model calls).
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./scoring-worker.ts', import.meta.url).href, { background: true, bundle: true, inline: ['zod'] });
