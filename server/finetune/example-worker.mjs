// Worker-thread entry for building fine-tuning examples: TypeScript through bin/typescript.mjs (bundled), then the worker.
import { importTypeScript } from '../../bin/typescript.mjs';

await importTypeScript(new URL('./example-worker.ts', import.meta.url).href, { bundle: true, inline: ['zod'] });
