/**
 * metrics: read a Prometheus /metrics page and check it with promtool (Debian's prometheus package).
 */
import { spawnSync } from 'node:child_process';

export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * sampleValue returns the value of the first sample of `name` whose labels include `labels`,
 * e.g. sampleValue(text, 'tessera_workers_online', { gpu_model: 'none' }).
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return undefined;
}

/** promtoolCheck runs `promtool check metrics` on a page; returns promtool's complaints (empty when clean). */
export function promtoolCheck(text: string): { ok: boolean; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool not runnable (apt-get install -y prometheus): ${result.error.message}`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
