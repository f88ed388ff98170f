import type { Filter } from '../types.js';

/** VerifiedFilter keeps workers whose claimed hardware passed its challenges, when the job asks for that. */
export const VerifiedFilter: Filter = {
  reason: 'unverified',
  feasible: (node, _usage, ask) => !ask.requireVerified || node.verified === true,
};
