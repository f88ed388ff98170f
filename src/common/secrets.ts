/**
 * secrets: join tokens and worker secrets. Both are 256-bit random strings, so a plain SHA-256
 * is a sufficient one-way hash for storage (no password stretching is needed for high-entropy
 * secrets); comparisons are constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** JOIN_TOKEN_PREFIX makes tokens recognisable in logs and secret scanners. */
export const JOIN_TOKEN_PREFIX = 'tsj_';
/** WORKER_SECRET_PREFIX marks worker secrets likewise. */
export const WORKER_SECRET_PREFIX = 'tsw_';

/** newSecret returns a prefixed 256-bit random string. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** newWorkerId returns "w-" and 16 random hex digits. */
export function newWorkerId(): string {
  return 'w-' + randomBytes(8).toString('hex');
}

/** sha256Hex is the stored form of a secret. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** secretMatches compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHashHex: string): boolean {
  const presented = Buffer.from(sha256Hex(secret), 'hex');
  const stored = Buffer.from(storedHashHex, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** WORKER_ID_METADATA carries the worker id beside "authorization: Bearer <secret>" on Connect. */
export const WORKER_ID_METADATA = 'tessera-worker-id';
