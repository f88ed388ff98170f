/**
 * timestamp: google.protobuf.Timestamp ↔ epoch milliseconds, for every Tessera message that carries a time.
 */
import type { Timestamp, TimestampWire } from '../gen/google/protobuf/Timestamp.js';

/** timestampToWire converts epoch milliseconds to google.protobuf.Timestamp. */
export function timestampToWire(ms: number | undefined): TimestampWire | null {
  if (ms === undefined) return null;
  return { seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) };
}

/** timestampFromWire converts a decoded Timestamp to epoch milliseconds; an unset one is 0. */
export function timestampFromWire(ts: Timestamp | null): number {
  return ts ? ts.seconds * 1000 + Math.round(ts.nanos / 1e6) : 0;
}
