#!/usr/bin/env node
// Generates TypeScript types for proto/ into src/gen/ (committed; never edit by hand).
// Usage: node scripts/gen-types.mjs [outDir]   (default src/gen)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const outDir = process.argv[2] ?? 'src/gen';
const protoDir = 'proto/tessera/v1';
const files = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).sort().map((f) => join('tessera/v1', f));
rmSync(outDir, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    'node_modules/@grpc/proto-loader/build/bin/proto-loader-gen-types.js',
    '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--keepCase=false',
    '--grpcLib=@grpc/grpc-js', '--includeDirs=proto', `--outDir=${outDir}`, '--inputTemplate=%sWire', '--outputTemplate=%s',
    ...files,
  ],
  { stdio: 'inherit' },
);

// Node's ESM resolution (tsconfig "NodeNext") wants explicit extensions on relative imports.
for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.ts')) continue;
  const path = join(outDir, file);
  const text = readFileSync(path, 'utf8').replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.js'");
  writeFileSync(path, text);
}
