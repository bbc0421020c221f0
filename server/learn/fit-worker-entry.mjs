// Worker-thread bootstrap: TypeScript through tsx's loader (as bin/firstcall.mjs does), then the worker.
import { register } from 'tsx/esm/api';

register();
await import('./fit-worker.ts');
