/**
 * fake-nvidia-smi: a stand-in `nvidia-smi` that prints real captured output, put first on an
 * agent's PATH — what a worker without that GPU (or a fraudster) would do.
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './fixtures.js';

/** FakeOutputs: what the stand-in prints for `-q -x`, `-q` and `--query-gpu` (absent: it fails, as old drivers do). */
export interface FakeOutputs {
  xml?: string;
  text?: string;
  csv?: string;
}

/** fakeNvidiaSmiFrom writes a stand-in answering with the given outputs; returns its directory. */
export async function fakeNvidiaSmiFrom(outputs: FakeOutputs): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-fake-smi-'));
  const cases: string[] = [];
  for (const [name, args] of [['xml', '"-q -x"'], ['text', '"-q"'], ['csv', '--query-gpu*']] as const) {
    const content = outputs[name];
    if (content === undefined) continue;
    await writeFile(join(dir, `${name}.out`), content);
    cases.push(`  ${args}) cat '${join(dir, `${name}.out`)}' ;;`);
  }
  const script = ['#!/bin/sh', 'case "$*" in', ...cases, '  *) echo "unsupported in this stand-in: $*" >&2; exit 2 ;;', 'esac'].join('\n');
  await writeFile(join(dir, 'nvidia-smi'), script + '\n');
  await chmod(join(dir, 'nvidia-smi'), 0o755);
  return dir;
}

/** fakeNvidiaSmi answers `-q -x` with an XML fixture and, optionally, `--query-gpu` with a CSV fixture. */
export async function fakeNvidiaSmi(xmlFixture: string, csvFixture?: string): Promise<string> {
  return fakeNvidiaSmiFrom({
    xml: await readFile(join(FIXTURES, xmlFixture), 'utf8'),
    ...(csvFixture && { csv: await readFile(join(FIXTURES, csvFixture), 'utf8') }),
  });
}
