/**
 * challenge: the compute challenge's arithmetic, shared by the agent (which computes) and the
 * scheduler (which checks). A and B are n×n matrices of small integers in [-8, 8] derived from a
 * seed by a counter-based hash, so any device computes the product exactly — fp32 sums of up to
 * 8192 products of 64 stay below 2^24 — and an answer is right or wrong, never "close".
 *
 * The agent commits to C = A·B with rowsRoot = SHA-256(SHA-256(row 0) ‖ … ‖ SHA-256(row n-1)),
 * then reveals the rows the scheduler picks. The scheduler checks the revealed rows against the
 * commitment and with Freivalds' algorithm: for random r, A_R·(B·r) = C_R·r. Each round costs
 * O(n²) (one B·r). With r drawn from [0, 2^20)ⁿ rather than {0,1}ⁿ, a wrong row survives a round
 * with probability ≤ 2^-20 (Schwartz–Zippel), so `rounds` rounds bound the error by 2^-20·rounds
 * per revealed row; the arithmetic stays exact in float64 for n ≤ 8192 (all sums < 2^53).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Precision is the float width rows are hashed in. */
export type Precision = 'fp32' | 'fp64';

/** CHALLENGE_MAX_N: 8192 keeps entries exact in fp32 (8192 × 64 < 2^24) and a row hash list at 256 KiB. */
export const CHALLENGE_MAX_N = 8192;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** matrixKey derives the 3 words that select matrix "A" or "B" for a seed. */
export function matrixKey(seed: Buffer, which: 'A' | 'B'): [number, number, number] {
  const digest = createHash('sha256').update(seed).update(which).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8)];
}

/** entry is element i (row-major) of a derived matrix: an integer in [-8, 8]. */
export function entry(key: [number, number, number], i: number): number {
  let x = (Math.imul(i, 0x9e3779b9) ^ key[0]) >>> 0;
  x = fmix32((x + key[1]) >>> 0);
  x = fmix32((x ^ key[2]) >>> 0);
  return (x % 17) - 8;
}

/** deriveRows fills rows [from, to) of a derived n×n matrix. */
export function deriveRows(key: [number, number, number], n: number, from: number, to: number): Float64Array {
  const out = new Float64Array((to - from) * n);
  for (let r = from; r < to; r++) for (let c = 0; c < n; c++) out[(r - from) * n + c] = entry(key, r * n + c);
  return out;
}

/** rowHash hashes one row of C as the precision's little-endian floats. */
export function rowHash(values: ArrayLike<number>, precision: Precision): Buffer {
  const typed = precision === 'fp32' ? Float32Array.from(values) : Float64Array.from(values);
  return createHash('sha256').update(Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength)).digest();
}

/** rowsRoot commits to every row hash in order. */
export function rowsRoot(hashes: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const x of hashes) h.update(x);
  return h.digest();
}

/** newChallengeSeed is 32 fresh random bytes. */
export function newChallengeSeed(): Buffer {
  return randomBytes(32);
}

/** pickRows chooses k distinct row indices at random. */
export function pickRows(n: number, k: number): number[] {
  const rows = new Set<number>();
  while (rows.size < Math.min(k, n)) rows.add(randomInt(n));
  return [...rows].sort((a, b) => a - b);
}

/** Verdict is the outcome of checking an answer, with the reason when it fails. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** verifyReveal checks revealed rows against the commitment and with Freivalds' algorithm. */
export function verifyReveal(
  seed: Buffer,
  n: number,
  precision: Precision,
  root: Buffer,
  asked: number[],
  rows: Array<{ index: number; values: number[] }>,
  hashes: Buffer[],
  rounds: number,
): Verdict {
  if (hashes.length !== n) return { ok: false, reason: `expected ${n} row hashes, got ${hashes.length}` };
  if (hashes.some((h) => h.length !== 32)) return { ok: false, reason: 'expected 32-byte row hashes' };
  if (!rowsRoot(hashes).equals(root)) return { ok: false, reason: 'row hashes do not match the committed root' };
  if (rows.length !== asked.length || rows.some((r, i) => r.index !== asked[i])) return { ok: false, reason: `expected rows ${asked.join(',')} in that order` };
  for (const row of rows) {
    if (row.values.length !== n) return { ok: false, reason: `row ${row.index}: expected ${n} values, got ${row.values.length}` };
    if (!row.values.every((v) => Number.isFinite(v) && Number.isInteger(v))) return { ok: false, reason: `row ${row.index}: expected exact integers (NaN, infinite or fractional value found)` };
    if (!rowHash(row.values, precision).equals(hashes[row.index]!)) return { ok: false, reason: `row ${row.index} does not match its committed hash` };
  }
  const b = deriveRows(matrixKey(seed, 'B'), n, 0, n);
  const aKey = matrixKey(seed, 'A');
  const aRows = rows.map((r) => deriveRows(aKey, n, r.index, r.index + 1));
  const br = new Float64Array(n);
  const r = new Float64Array(n);
  for (let round = 0; round < rounds; round++) {
    randomFill(r);
    br.fill(0);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const base = i * n;
      for (let j = 0; j < n; j++) sum += b[base + j]! * r[j]!;
      br[i] = sum;
    }
    for (let k = 0; k < rows.length; k++) {
      const a = aRows[k]!;
      const c = rows[k]!.values;
      let left = 0;
      let right = 0;
      for (let j = 0; j < n; j++) {
        left += a[j]! * br[j]!;
        right += c[j]! * r[j]!;
      }
      if (left !== right) return { ok: false, reason: `wrong answer: row ${rows[k]!.index} fails Freivalds' check (round ${round + 1})` };
    }
  }
  return { ok: true };
}

/** R_BITS: Freivalds vector entries are uniform in [0, 2^20). */
const R_BITS = 20;

function randomFill(r: Float64Array): void {
  const bytes = randomBytes(r.length * 3);
  for (let i = 0; i < r.length; i++) r[i] = bytes.readUIntLE(i * 3, 3) & ((1 << R_BITS) - 1);
}

/** multiplyOnCpu computes C = A·B row block by row block, yielding between blocks; undefined past the deadline. */
export async function multiplyOnCpu(seed: Buffer, n: number, deadlineAt: number): Promise<Float64Array[] | undefined> {
  const a = deriveRows(matrixKey(seed, 'A'), n, 0, n);
  const b = deriveRows(matrixKey(seed, 'B'), n, 0, n);
  const rows: Float64Array[] = [];
  const BLOCK = 16;
  for (let start = 0; start < n; start += BLOCK) {
    if (Date.now() > deadlineAt) return undefined;
    for (let i = start; i < Math.min(n, start + BLOCK); i++) {
      const out = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k]!;
        if (aik === 0) continue;
        const base = k * n;
        for (let j = 0; j < n; j++) out[j]! += aik * b[base + j]!;
      }
      rows.push(out);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}
