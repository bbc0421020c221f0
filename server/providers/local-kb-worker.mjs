// Worker-thread entry for the offline bot (local-kb-pool.ts): TypeScript through bin/typescript.mjs (bundled), then the worker.
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./local-kb-worker.ts', import.meta.url).href, { bundle: true, inline: ['zod'] });
