/**
 * join-tokens: minting a join token. The token is returned once; the store keeps its hash.
 */
import { JOIN_TOKEN_PREFIX, newSecret, sha256Hex } from '../common/secrets.js';
import type { TopologyStore } from './topology-store.js';

/** createJoinToken stores a new token's hash and returns the token and its expiry. */
export async function createJoinToken(
  store: TopologyStore,
  options: { uses: number; ttlMs: number; description?: string },
): Promise<{ token: string; expiresAtMs: number }> {
  const token = newSecret(JOIN_TOKEN_PREFIX);
  const now = Date.now();
  const expiresAtMs = now + options.ttlMs;
  await store.createJoinToken(sha256Hex(token), { usesLeft: options.uses, expiresAtMs, createdAtMs: now, description: options.description ?? '' });
  return { token, expiresAtMs };
}
