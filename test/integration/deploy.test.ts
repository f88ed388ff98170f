/**
 * deploy/: the Prometheus configuration and rules an operator copies are valid for promtool,
 * and every metric the rules use is one a Tessera server exports.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixtures.js';

const dir = join(REPO_ROOT, 'deploy', 'prometheus');

it('passes promtool check config and check rules', () => {
  for (const args of [['check', 'config', join(dir, 'prometheus.yml')], ['check', 'rules', join(dir, 'tessera-rules.yml')]]) {
    const result = spawnSync('promtool', args, { encoding: 'utf8' });
    expect(result.status, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  }
});

it('uses only metrics that Tessera exports', () => {
  const rules = readFileSync(join(dir, 'tessera-rules.yml'), 'utf8');
  const used = new Set([...rules.matchAll(/\b(tessera_[a-z_]+)/g)].map((m) => m[1]!.replace(/_bucket$/, '')));
  const sources = ['src/common/fleet-metrics.ts', 'src/scheduler/metrics.ts'].map((f) => readFileSync(join(REPO_ROOT, f), 'utf8')).join('\n');
  for (const name of used) expect(sources, name).toContain(`'${name}'`);
});
