/**
 * fixtures: real GPU tool output committed under test/fixtures (test/fixtures/SOURCES.md says
 * where each file came from and under which licence). TESSERA_FIXTURES points elsewhere.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = process.env.TESSERA_FIXTURES ?? resolve(REPO_ROOT, 'test/fixtures');

export function fixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}

/**
 * captureSection returns the output of the first `# $ <command>` section of an
 * nvidia_gpu_exporter capture file (sections are framed by lines of '#').
 */
export function captureSection(capture: string, command: string): string {
  const lines = capture.split('\n');
  const start = lines.findIndex((l) => l.trim() === `# $ ${command}`);
  if (start < 0) throw new Error(`no section "${command}" in capture`);
  let i = start + 1;
  while (i < lines.length && lines[i]!.startsWith('#')) i++;
  const out: string[] = [];
  for (; i < lines.length && !/^#{20,}$/.test(lines[i]!); i++) out.push(lines[i]!);
  return out.join('\n');
}
