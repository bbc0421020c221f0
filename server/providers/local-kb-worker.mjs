// Worker-thread entry for the offline bot (local-kb-pool.ts): registers the TypeScript loader, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./local-kb-worker.ts');
