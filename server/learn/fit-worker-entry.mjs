// Worker-thread bootstrap: TypeScript through bin/typescript.mjs (as bin/firstcall.mjs does), then the worker.
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./fit-worker.ts', import.meta.url).href);
