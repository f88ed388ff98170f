import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixtures.js';

// A user's clone has nothing beside it: code that reads a sibling folder of the checkout passes
// on a developer's machine and fails on theirs. The needle is built so this file does not match.
const SIBLING = ['..', 'shared'].join('/');
const SCANNED = ['src', 'test', 'bench', 'scripts', 'examples', 'bin', 'deploy', 'package.json', 'vitest.config.ts'];
const SKIPPED = new Set(['node_modules', 'fixtures', 'gen']);

function* files(path: string): Generator<string> {
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    yield* files(join(path, entry.name));
  }
}

describe('the repository tests itself', () => {
  it('no code, test, bench or script reads a folder beside the checkout', () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const file of files(join(REPO_ROOT, top))) {
        const text = readFileSync(file, 'utf8');
        text.split('\n').forEach((line, i) => {
          if (line.includes(SIBLING)) offenders.push(`${relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every fixture a test names is committed under test/fixtures', () => {
    const named = new Set<string>();
    for (const file of files(join(REPO_ROOT, 'test'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'((?:gpu-discovery|nvidia-smi)\/[^']+\.(?:xml|txt|csv|json|out|stdout))'/g)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(10);
    const missing = [...named].filter((f) => {
      try {
        return !statSync(join(REPO_ROOT, 'test/fixtures', f)).isFile();
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });
});
