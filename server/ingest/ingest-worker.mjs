// Worker-thread entry for ingest: TypeScript through bin/typescript.mjs (bundled), then the worker (a background
// thread: below the one that serves requests when the ingest runs inside `firstcall serve`).
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./ingest-worker.ts', import.meta.url).href, { background: true, bundle: true, inline: ['zod'] });
