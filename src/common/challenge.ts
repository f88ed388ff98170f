/**
 * challenge: the compute challenge's arithmetic, shared by the agent (which computes) and the
 * scheduler (which checks). Pure and synchronous; the scheduler runs `verifyTile` in worker
 * threads (scheduler/trust/verify-pool.ts).
 *
 * The work is one large product C = A·B, A of M×K and B of K×N, with every entry in {-1, 0, 1}
 * derived from a seed by a counter-based hash. With K ≤ 2048 every partial sum is an integer of
 * magnitude ≤ 2048, which fp16 holds exactly, so tensor cores compute C exactly in fp16 whatever
 * the accumulation order or width: an answer is right or wrong, never "close". That is the
 * precision AI accelerators are rated in, so the time a pass takes proves fp16 tensor throughput.
 *
 * C is cut into tiles of R×W. The agent never sends C (terabytes at GPU sizes): for each tile it
 * records a fingerprint — the tile's maximum and minimum, which cannot be known without computing
 * every entry — and commits to all fingerprints with a Merkle tree whose leaves are groups of L
 * row bands. Seeing the root, the scheduler picks tiles at random; the agent reveals each tile's
 * values with its leaf and Merkle path. The scheduler checks the path, that the tile's max and
 * min match the committed fingerprint, and that the tile is the product with Freivalds' algorithm:
 * for random x, C_pq·x = A_p·(B_q·x), at O(K·W) per round instead of O(R·W·K).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** CHALLENGE_MAX_INNER: entries in {-1,0,1} and K ≤ 2048 keep every partial sum exact in fp16. */
export const CHALLENGE_MAX_INNER = 2048;
/** CHALLENGE_MAX_TILE_ENTRIES: a revealed tile (int16) stays under 512 KiB, inside one agent message. */
export const CHALLENGE_MAX_TILE_ENTRIES = 256 * 1024;
/** FREIVALDS_BITS: x entries are uniform in [0, 2^20): a wrong tile row survives a round with p ≤ 2^-20. */
const FREIVALDS_BITS = 20;

/** ChallengeShape is the size of one challenge: C is (rowTiles·tileRows) × (colTiles·tileCols), inner size K. */
export interface ChallengeShape {
  inner: number;
  tileRows: number;
  tileCols: number;
  rowTiles: number;
  colTiles: number;
  /** Row bands per Merkle leaf. */
  leafBands: number;
}

/** shapeFlops is the multiply-add work of a shape, counted as 2·M·N·K floating-point operations. */
export function shapeFlops(s: ChallengeShape): number {
  return 2 * s.rowTiles * s.tileRows * s.colTiles * s.tileCols * s.inner;
}

/** shapeProblem says what is wrong with a shape, or undefined when it is one an honest agent can answer. */
export function shapeProblem(s: ChallengeShape): string | undefined {
  const ints = [s.inner, s.tileRows, s.tileCols, s.rowTiles, s.colTiles, s.leafBands];
  if (!ints.every((v) => Number.isInteger(v) && v > 0)) return 'every dimension must be a positive integer';
  if (s.inner > CHALLENGE_MAX_INNER) return `inner size ${s.inner} exceeds ${CHALLENGE_MAX_INNER} (fp16 exactness)`;
  if (s.tileRows * s.tileCols > CHALLENGE_MAX_TILE_ENTRIES) return `a tile of ${s.tileRows}×${s.tileCols} exceeds ${CHALLENGE_MAX_TILE_ENTRIES} entries`;
  if (s.colTiles * s.tileCols > 1 << 20 || s.rowTiles * s.tileRows > 1 << 28) return 'matrix too large';
  return undefined;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MatrixKey is the three words that select matrix "A" or "B" for a seed. */
export type MatrixKey = readonly [number, number, number];

/** matrixKey derives the key of matrix "A" or "B" from a challenge seed. */
export function matrixKey(seed: Buffer, which: 'A' | 'B'): MatrixKey {
  const digest = createHash('sha256').update(seed).update(which).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8)];
}

/**
 * entry is element (row, col) of a derived matrix, in {-1, 0, 1}:
 *   h = fmix32(row·0x9E3779B9 + k0); h = fmix32((h ⊕ k1) + col·0x85EBCA77); h = fmix32(h ⊕ k2)
 *   entry = h mod 3 − 1        (all arithmetic mod 2^32; torch_challenge.py does the same)
 */
export function entry(key: MatrixKey, row: number, col: number): number {
  let h = fmix32((Math.imul(row, 0x9e3779b9) + key[0]) >>> 0);
  h = fmix32((((h ^ key[1]) >>> 0) + Math.imul(col, 0x85ebca77)) >>> 0);
  h = fmix32((h ^ key[2]) >>> 0);
  return (h % 3) - 1;
}

/** deriveBlock fills rows [row0, row0+rows) × cols [col0, col0+cols) of a derived matrix, row-major. */
export function deriveBlock(key: MatrixKey, row0: number, rows: number, col0: number, cols: number): Int8Array {
  const out = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = entry(key, row0 + r, col0 + c);
  return out;
}

/** Fingerprint is what is committed per tile: its maximum and minimum entry. */
export interface Fingerprint {
  max: number;
  min: number;
}

/** FINGERPRINT_BYTES: max and min as little-endian int16. */
export const FINGERPRINT_BYTES = 4;

/** fingerprintOf returns the max and min of a tile's values. */
export function fingerprintOf(values: Int16Array): Fingerprint {
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return { max, min };
}

/** leafCount is the number of Merkle leaves of a shape. */
export function leafCount(s: ChallengeShape): number {
  return Math.ceil(s.rowTiles / s.leafBands);
}

/** leafBytesOf is the size of the Merkle leaf holding row band `rowTile` (the last leaf may hold fewer bands). */
export function leafBytesOf(s: ChallengeShape, rowTile: number): number {
  const first = Math.floor(rowTile / s.leafBands) * s.leafBands;
  return Math.min(s.leafBands, s.rowTiles - first) * s.colTiles * FINGERPRINT_BYTES;
}

/** leafHash and nodeHash are domain-separated, so a leaf can never pass for an inner node. */
export function leafHash(leaf: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(leaf).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** merkleLevels builds the tree bottom-up; an odd node at the end of a level is carried up unchanged. */
export function merkleLevels(leaves: Buffer[]): Buffer[][] {
  const levels: Buffer[][] = [leaves.map(leafHash)];
  while (levels.at(-1)!.length > 1) {
    const level = levels.at(-1)!;
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    levels.push(next);
  }
  return levels;
}

/** merkleProof lists the sibling hashes from leaf `index` to the root (carried nodes have none). */
export function merkleProof(levels: Buffer[][], index: number): Buffer[] {
  const proof: Buffer[] = [];
  for (let l = 0; l < levels.length - 1; l++, index >>= 1) {
    const sibling = index ^ 1;
    if (sibling < levels[l]!.length) proof.push(levels[l]![sibling]!);
  }
  return proof;
}

/** merkleRootFrom recomputes the root from a leaf, its index, the leaf count and its proof; undefined when the proof has the wrong length. */
export function merkleRootFrom(leaf: Buffer, index: number, leaves: number, proof: Buffer[]): Buffer | undefined {
  let hash = leafHash(leaf);
  let width = leaves;
  let used = 0;
  for (; width > 1; index >>= 1, width = Math.ceil(width / 2)) {
    const sibling = index ^ 1;
    if (sibling >= width) continue;
    const next = proof[used++];
    if (!next || next.length !== 32) return undefined;
    hash = index & 1 ? nodeHash(next, hash) : nodeHash(hash, next);
  }
  return used === proof.length ? hash : undefined;
}

/** TileRef names a tile by its row band and column band. */
export interface TileRef {
  rowTile: number;
  colTile: number;
}

/** pickTiles chooses k distinct tiles at random. */
export function pickTiles(s: ChallengeShape, k: number): TileRef[] {
  const total = s.rowTiles * s.colTiles;
  const picked = new Set<number>();
  while (picked.size < Math.min(k, total)) picked.add(randomInt(total));
  return [...picked].sort((a, b) => a - b).map((i) => ({ rowTile: Math.floor(i / s.colTiles), colTile: i % s.colTiles }));
}

/** newChallengeSeed is 32 fresh random bytes. */
export function newChallengeSeed(): Buffer {
  return randomBytes(32);
}

/** Verdict is the outcome of checking an answer, with the reason when it fails. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** RevealedTile is what the agent sends for one asked tile. */
export interface RevealedTile {
  rowTile: number;
  colTile: number;
  /** R×W little-endian int16, row-major. */
  values: Buffer;
  /** The Merkle leaf holding this tile's fingerprint. */
  leaf: Buffer;
  proof: Buffer[];
}

/** ChallengeRequest asks an agent to prove one device by computing a product of this shape from this seed. */
export interface ChallengeRequest {
  challengeId: string;
  seed: Buffer;
  shape: ChallengeShape;
  /** "fp16". */
  precision: string;
  /** The GPU (index in the hardware report), or -1 for the CPU. */
  gpuIndex: number;
  /** The GPU's UUID as reported, so the agent picks the device by identity, not by index. */
  gpuUuid: string;
  /** The agent gives up after this long and says so. */
  deadlineMs: number;
}

/**
 * ChallengeCommitment answers a ChallengeRequest: the Merkle root of the product's fingerprints,
 * or why the agent gave up ("no-runtime", "helper-failed", "deadline"). `device` says what computed it.
 */
export type ChallengeCommitment =
  | { challengeId: string; root: Buffer; computeMs: number; device: string }
  | { challengeId: string; error: string; errorKind: string; device?: string };

/** RevealRequest asks for some tiles of a committed product. */
export interface RevealRequest {
  challengeId: string;
  tiles: TileRef[];
}

/** TileAnswer is the agent's reply for one asked tile: the tile, or why it cannot reveal it. */
export type TileAnswer = (RevealedTile & { challengeId: string }) | { challengeId: string; rowTile: number; colTile: number; error: string };

/** verifyTile checks one revealed tile against the committed root, its fingerprint and the product. */
export function verifyTile(seed: Buffer, s: ChallengeShape, root: Buffer, tile: RevealedTile, rounds: number): Verdict {
  const { tileRows: R, tileCols: W, inner: K } = s;
  const where = `tile (${tile.rowTile},${tile.colTile})`;
  if (tile.values.length !== R * W * 2) return { ok: false, reason: `${where}: expected ${R * W * 2} bytes of values, got ${tile.values.length}` };
  const leafIndex = Math.floor(tile.rowTile / s.leafBands);
  const leafBytes = leafBytesOf(s, tile.rowTile);
  if (tile.leaf.length !== leafBytes) return { ok: false, reason: `${where}: expected a leaf of ${leafBytes} bytes, got ${tile.leaf.length}` };
  const recomputed = merkleRootFrom(tile.leaf, leafIndex, leafCount(s), tile.proof);
  if (!recomputed || !recomputed.equals(root)) return { ok: false, reason: `${where}: its leaf and proof do not lead to the committed root` };
  const values = new Int16Array(R * W);
  for (let i = 0; i < values.length; i++) values[i] = tile.values.readInt16LE(i * 2);
  const at = ((tile.rowTile - leafIndex * s.leafBands) * s.colTiles + tile.colTile) * FINGERPRINT_BYTES;
  const committed = { max: tile.leaf.readInt16LE(at), min: tile.leaf.readInt16LE(at + 2) };
  const actual = fingerprintOf(values);
  if (actual.max !== committed.max || actual.min !== committed.min) {
    return { ok: false, reason: `wrong answer: ${where} has max ${actual.max} and min ${actual.min}, but ${committed.max} and ${committed.min} were committed` };
  }
  const a = deriveBlock(matrixKey(seed, 'A'), tile.rowTile * R, R, 0, K);
  const b = deriveBlock(matrixKey(seed, 'B'), 0, K, tile.colTile * W, W);
  const x = new Float64Array(W);
  const bx = new Float64Array(K);
  for (let round = 0; round < rounds; round++) {
    randomFill(x);
    for (let k = 0; k < K; k++) {
      let sum = 0;
      const base = k * W;
      for (let c = 0; c < W; c++) sum += b[base + c]! * x[c]!;
      bx[k] = sum;
    }
    for (let r = 0; r < R; r++) {
      let left = 0;
      let right = 0;
      for (let k = 0; k < K; k++) left += a[r * K + k]! * bx[k]!;
      for (let c = 0; c < W; c++) right += values[r * W + c]! * x[c]!;
      if (left !== right) return { ok: false, reason: `wrong answer: ${where} row ${r} fails Freivalds' check (round ${round + 1})` };
    }
  }
  return { ok: true };
}

function randomFill(x: Float64Array): void {
  const bytes = randomBytes(x.length * 3);
  for (let i = 0; i < x.length; i++) x[i] = bytes.readUIntLE(i * 3, 3) & ((1 << FREIVALDS_BITS) - 1);
}

/** multiplyTile computes C_pq = A_p·B_q from derived blocks (R×K times K×W). */
export function multiplyTile(a: Int8Array, b: Int8Array, R: number, K: number, W: number): Int16Array {
  const out = new Int32Array(R * W);
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < K; k++) {
      const v = a[r * K + k]!;
      if (v === 0) continue;
      const base = k * W;
      const row = r * W;
      if (v === 1) for (let c = 0; c < W; c++) out[row + c]! += b[base + c]!;
      else for (let c = 0; c < W; c++) out[row + c]! -= b[base + c]!;
    }
  }
  return Int16Array.from(out);
}

/** CpuAnswer is a computed challenge held by the agent until the scheduler asks for tiles. */
export interface CpuAnswer {
  root: Buffer;
  reveal(tile: TileRef): RevealedTile;
}

/**
 * answerOnCpu computes a whole challenge in TypeScript, band by band, yielding between bands;
 * undefined past the deadline. This is the honest path of a worker without a GPU runtime.
 */
export async function answerOnCpu(seed: Buffer, s: ChallengeShape, deadlineAt: number): Promise<CpuAnswer | undefined> {
  const { tileRows: R, tileCols: W, inner: K } = s;
  const keyA = matrixKey(seed, 'A');
  const keyB = matrixKey(seed, 'B');
  const bTiles = Array.from({ length: s.colTiles }, (_, q) => deriveBlock(keyB, 0, K, q * W, W));
  const fingerprints = Buffer.alloc(s.rowTiles * s.colTiles * FINGERPRINT_BYTES);
  for (let p = 0; p < s.rowTiles; p++) {
    if (Date.now() > deadlineAt) return undefined;
    const a = deriveBlock(keyA, p * R, R, 0, K);
    for (let q = 0; q < s.colTiles; q++) {
      const f = fingerprintOf(multiplyTile(a, bTiles[q]!, R, K, W));
      const at = (p * s.colTiles + q) * FINGERPRINT_BYTES;
      fingerprints.writeInt16LE(f.max, at);
      fingerprints.writeInt16LE(f.min, at + 2);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const leafBytes = s.leafBands * s.colTiles * FINGERPRINT_BYTES;
  const leaves = Array.from({ length: leafCount(s) }, (_, j) => fingerprints.subarray(j * leafBytes, Math.min(fingerprints.length, (j + 1) * leafBytes)));
  const levels = merkleLevels(leaves);
  return {
    root: levels.at(-1)![0]!,
    reveal: ({ rowTile, colTile }) => {
      const tile = multiplyTile(deriveBlock(keyA, rowTile * R, R, 0, K), bTiles[colTile]!, R, K, W);
      const leafIndex = Math.floor(rowTile / s.leafBands);
      return { rowTile, colTile, values: Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength), leaf: Buffer.from(leaves[leafIndex]!), proof: merkleProof(levels, leafIndex) };
    },
  };
}
