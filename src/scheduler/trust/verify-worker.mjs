// verify-worker: the entry of a verification thread (see verify-pool.ts). From dist/ it loads the
// compiled task; from the sources it registers tsx in this thread first, as bin/tessera.js does
// for the main thread (loader hooks do not cross into worker threads).
import { existsSync } from 'node:fs';

const compiled = new URL('./verify-task.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('./verify-task.ts', import.meta.url).href);
}
