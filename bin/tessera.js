#!/usr/bin/env node
// The `tessera` command. Runs the TypeScript sources through tsx, so a fresh clone needs only
// `npm ci`; `npm run build` compiles to dist/ for those who prefer plain JavaScript.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (process.env.TESSERA_USE_DIST === '1' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
