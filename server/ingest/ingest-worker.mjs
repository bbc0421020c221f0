// Worker-thread entry for ingest: registers the TypeScript loader, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker.ts');
