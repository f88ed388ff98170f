/**
 * fake-nvidia-smi: a stand-in `nvidia-smi` that prints real captured output, put first on an
 * agent's PATH — what a worker without that GPU (or a fraudster) would do.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './fixtures.js';

/** fakeNvidiaSmi writes a script answering `-q -x` with `xmlFixture` and `--query-gpu` with `csvFixture` (or failing). */
export async function fakeNvidiaSmi(xmlFixture: string, csvFixture?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-fake-smi-'));
  const script = [
    '#!/bin/sh',
    'case "$*" in',
    `  "-q -x") cat '${join(FIXTURES, xmlFixture)}' ;;`,
    csvFixture ? `  --query-gpu*) cat '${join(FIXTURES, csvFixture)}' ;;` : '  --query-gpu*) echo "Field compute_cap is not a valid field to query." >&2; exit 2 ;;',
    '  *) echo "unsupported in this stand-in: $*" >&2; exit 2 ;;',
    'esac',
  ].join('\n');
  await writeFile(join(dir, 'nvidia-smi'), script + '\n');
  await chmod(join(dir, 'nvidia-smi'), 0o755);
  return dir;
}
