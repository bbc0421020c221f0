// Worker-thread entry for offline scoring: TypeScript through bin/typescript.mjs, then the worker.
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./scoring-worker.ts', import.meta.url).href);
