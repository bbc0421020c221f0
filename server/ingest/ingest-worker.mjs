// Worker-thread entry for ingest: TypeScript through bin/typescript.mjs, then the worker.
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./ingest-worker.ts', import.meta.url).href);
