// Worker-thread bootstrap: TypeScript through bin/typescript.mjs (bundled), then the worker.
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./fit-worker.ts', import.meta.url).href, { bundle: true, inline: ['zod'] });
