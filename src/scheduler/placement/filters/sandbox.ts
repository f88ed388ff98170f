import type { Filter } from '../types.js';

/** SandboxFilter keeps workers that run shards in a sandbox, unless the job allows others. */
export const SandboxFilter: Filter = {
  reason: 'unsandboxed',
  feasible: (node, _usage, ask) => node.sandboxed || ask.allowUnsandboxed === true,
};
