import type { Filter } from '../types.js';

/** OnlineFilter rejects workers without a live lease: offline supply is not supply. */
export const OnlineFilter: Filter = { reason: 'offline', feasible: (node) => node.online };
