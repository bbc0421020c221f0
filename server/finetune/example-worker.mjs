// Worker-thread entry for building fine-tuning examples: registers the TypeScript loader, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./example-worker.ts');
