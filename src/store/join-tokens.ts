/**
 * join-tokens: minting, listing and revoking join tokens. A token is returned once; the store
 * keeps its hash, and operators name a token by the first 12 hex digits of that hash.
 */
import { caPin } from '../common/pki.js';
import { JOIN_TOKEN_PREFIX, newSecret, sha256Hex } from '../common/secrets.js';
import { InvalidArgument, NotFound } from '../common/errors.js';
import type { JoinTokenRecord, TopologyStore } from './topology-store.js';

/**
 * createJoinToken stores a new token's hash and returns the token and its expiry. When the fleet
 * serves TLS (a scheduler published its CA), the token carries the CA's pin after a dot,
 * "tsj_….sha256:<hex>", as kubeadm's --discovery-token-ca-cert-hash: the agent trusts only a
 * scheduler whose chain holds that CA.
 */
export async function createJoinToken(
  store: TopologyStore,
  options: { uses: number; ttlMs: number; description?: string },
): Promise<{ token: string; expiresAtMs: number; caPin?: string }> {
  const secret = newSecret(JOIN_TOKEN_PREFIX);
  const now = Date.now();
  const expiresAtMs = now + options.ttlMs;
  await store.createJoinToken(sha256Hex(secret), { usesLeft: options.uses, expiresAtMs, createdAtMs: now, description: options.description ?? '' });
  const ca = await store.getCaCertificate();
  const pin = ca ? caPin(ca) : undefined;
  return { token: pin ? `${secret}.${pin}` : secret, expiresAtMs, ...(pin && { caPin: pin }) };
}

/** splitJoinToken separates the secret (what the store hashed) from the CA pin it carries. */
export function splitJoinToken(token: string): { secret: string; caPin?: string } {
  const dot = token.indexOf('.');
  if (dot < 0) return { secret: token };
  return { secret: token.slice(0, dot), caPin: token.slice(dot + 1) };
}

/** JOIN_TOKEN_ID_HEX: a token is named by this many hex digits of its hash, as API keys are (48 bits). */
export const JOIN_TOKEN_ID_HEX = 12;

/** JoinTokenInfo is a stored token as operators see it: named by its id, never the token itself. */
export interface JoinTokenInfo {
  id: string;
  description: string;
  usesLeft: number;
  expiresAtMs: number;
  createdAtMs: number;
  /** Past its expiry: Join refuses it, though the record is still stored. */
  expired: boolean;
}

function infoOf(hash: string, record: JoinTokenRecord, nowMs: number): JoinTokenInfo {
  return { id: hash.slice(0, JOIN_TOKEN_ID_HEX), description: record.description, usesLeft: record.usesLeft, expiresAtMs: record.expiresAtMs, createdAtMs: record.createdAtMs, expired: record.expiresAtMs <= nowMs };
}

/** listJoinTokens lists every stored token by id, oldest first. */
export async function listJoinTokens(store: TopologyStore, nowMs = Date.now()): Promise<JoinTokenInfo[]> {
  return (await store.listJoinTokens()).map(({ hash, record }) => infoOf(hash, record, nowMs)).sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
}

/**
 * revokeJoinToken deletes a token, given the token itself (tsj_…) or its id (a prefix of its
 * hash, at least JOIN_TOKEN_ID_HEX hex digits, as `tessera join-token list` shows). Join reads
 * the token from the store on every call, so the next Join with it is refused.
 */
export async function revokeJoinToken(store: TopologyStore, tokenOrId: string, nowMs = Date.now()): Promise<JoinTokenInfo> {
  let matches: Array<{ hash: string; record: JoinTokenRecord }>;
  const all = await store.listJoinTokens();
  if (tokenOrId.startsWith(JOIN_TOKEN_PREFIX)) {
    const hash = sha256Hex(splitJoinToken(tokenOrId).secret);
    matches = all.filter((t) => t.hash === hash);
  } else if (new RegExp(`^[0-9a-f]{${JOIN_TOKEN_ID_HEX},64}$`).test(tokenOrId)) {
    matches = all.filter((t) => t.hash.startsWith(tokenOrId));
  } else {
    throw new InvalidArgument('token', `expected a join token (${JOIN_TOKEN_PREFIX}…) or a token id of ${JOIN_TOKEN_ID_HEX} hex digits (tessera join-token list)`);
  }
  if (matches.length > 1) throw new InvalidArgument('token', `token id ${tokenOrId} matches ${matches.length} tokens; give more digits or the token itself`);
  const found = matches[0];
  if (!found || !(await store.deleteJoinToken(found.hash))) throw new NotFound('no such join token (already revoked or used up?)');
  return infoOf(found.hash, found.record, nowMs);
}
