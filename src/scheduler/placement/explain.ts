/**
 * explain: turns a decision's counts into the sentence a user reads ("0 of 3 workers fit: 3 lack
 * GPU model H100").
 */
import type { Explanation, FilterReason, ShardAsk } from './types.js';

/** REASON_TEXT says, for a count of nodes, why they were rejected. */
export const REASON_TEXT: Record<FilterReason, (ask: ShardAsk) => string> = {
  offline: () => 'are offline',
  unsandboxed: () => 'run shards without a sandbox (the job does not set allowUnsandboxed)',
  unverified: () => 'are not verified',
  reputation: (ask) => `have a reputation under ${ask.minReputation ?? 0}`,
  uptime: (ask) => `were connected less than ${Math.round(100 * (ask.minUptime30d ?? 0))} % of the last 30 days`,
  region: (ask) => `are outside region ${ask.regions.join(' or ')}`,
  labels: (ask) => `lack labels ${Object.entries(ask.labels).map(([k, v]) => `${k}=${v}`).join(',')}`,
  'gpu-model': (ask) => `lack GPU model ${ask.resources.gpuModels.join(' or ')}`,
  'gpu-count': (ask) => `have fewer than ${ask.resources.gpuCount} free GPUs${ask.resources.gpuModels.length ? ` of model ${ask.resources.gpuModels.join(' or ')}` : ''}`,
  'gpu-memory': (ask) => `have fewer than ${ask.resources.gpuCount} free GPUs with ${ask.resources.minGpuMemoryMib} MiB`,
  cpu: (ask) => `have fewer than ${ask.resources.cpuCores} free CPU cores`,
  memory: (ask) => `have less than ${ask.resources.memoryMib} MiB of free memory`,
};

/** failureSummary lists the rejections, most common first. */
export function failureSummary(explanation: Omit<Explanation, 'summary'>, ask: ShardAsk): string {
  const parts = (Object.entries(explanation.filtered) as Array<[FilterReason, number]>)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} ${REASON_TEXT[reason](ask)}`);
  const noun = explanation.nodesTotal === 1 ? 'worker' : 'workers';
  return `0 of ${explanation.nodesTotal} ${noun} fit: ${parts.length ? parts.join('; ') : 'there are no workers'}`;
}
