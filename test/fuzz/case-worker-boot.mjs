// Loads the case worker from TypeScript sources through tsx (a Worker cannot start from a .ts file).
import { register } from 'tsx/esm/api';

register();
await import('./case-worker.ts');
