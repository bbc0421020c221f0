// Worker-thread entry for offline scoring: registers the TypeScript loader, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./scoring-worker.ts');
