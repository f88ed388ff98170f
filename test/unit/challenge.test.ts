import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  answerOnCpu,
  deriveBlock,
  FINGERPRINT_BYTES,
  matrixKey,
  merkleLevels,
  merkleProof,
  merkleRootFrom,
  newChallengeSeed,
  pickTiles,
  shapeFlops,
  shapeProblem,
  verifyTile,
  type ChallengeShape,
  type RevealedTile,
} from '../../src/common/challenge.js';

const SHAPE: ChallengeShape = { inner: 128, tileRows: 8, tileCols: 64, rowTiles: 6, colTiles: 3, leafBands: 4 };

async function honest(shape = SHAPE) {
  const seed = newChallengeSeed();
  const answer = (await answerOnCpu(seed, shape, Date.now() + 60_000))!;
  return { seed, answer };
}

/** withValue returns a copy of a revealed tile with entry i changed to v. */
function withValue(tile: RevealedTile, i: number, v: number): RevealedTile {
  const values = Buffer.from(tile.values);
  values.writeInt16LE(v, i * 2);
  return { ...tile, values };
}

describe('the compute challenge', () => {
  it('derives matrices of -1, 0 and 1 deterministically from the seed, so fp16 holds every partial sum exactly', () => {
    const seed = Buffer.alloc(32, 7);
    const a = deriveBlock(matrixKey(seed, 'A'), 0, 16, 0, 16);
    expect(deriveBlock(matrixKey(seed, 'A'), 0, 16, 0, 16)).toEqual(a);
    expect(deriveBlock(matrixKey(seed, 'B'), 0, 16, 0, 16)).not.toEqual(a);
    // A block is the same whether derived whole or from an offset: tiles can be derived alone.
    expect(deriveBlock(matrixKey(seed, 'A'), 4, 2, 3, 5)[0]).toBe(a[4 * 16 + 3]);
    expect(new Set(a)).toEqual(new Set([-1, 0, 1]));
    expect(shapeProblem({ ...SHAPE, inner: 4096 })).toMatch(/exceeds 2048 \(fp16 exactness\)/);
    expect(shapeProblem(SHAPE)).toBeUndefined();
    expect(shapeFlops(SHAPE)).toBe(2 * 48 * 192 * 128);
  });

  it('accepts an honest answer for every tile', async () => {
    const { seed, answer } = await honest();
    for (let p = 0; p < SHAPE.rowTiles; p++) {
      for (let q = 0; q < SHAPE.colTiles; q++) expect(verifyTile(seed, SHAPE, answer.root, answer.reveal({ rowTile: p, colTile: q }), 2)).toEqual({ ok: true });
    }
  });

  it("catches one wrong entry with Freivalds' check when the fingerprint still matches", async () => {
    const { seed, answer } = await honest();
    const tile = answer.reveal({ rowTile: 2, colTile: 1 });
    const values = new Int16Array(tile.values.buffer.slice(tile.values.byteOffset, tile.values.byteOffset + tile.values.length));
    // Change an entry that is neither the max nor the min, by one: the fingerprint cannot see it.
    const max = Math.max(...values);
    const min = Math.min(...values);
    const i = values.findIndex((v) => v > min + 1 && v < max - 1);
    const verdict = verifyTile(seed, SHAPE, answer.root, withValue(tile, i, values[i]! + 1), 2);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/^wrong answer: tile \(2,1\) row \d+ fails Freivalds' check/) });
  });

  it('catches a revealed tile that does not match its committed fingerprint, and out-of-range values', async () => {
    const { seed, answer } = await honest();
    const tile = answer.reveal({ rowTile: 0, colTile: 0 });
    expect(verifyTile(seed, SHAPE, answer.root, withValue(tile, 5, 30_000), 2)).toMatchObject({ ok: false, reason: expect.stringMatching(/has max 30000 .* were committed/) });
    expect(verifyTile(seed, SHAPE, answer.root, withValue(tile, 5, -30_000), 2)).toMatchObject({ ok: false, reason: expect.stringMatching(/min -30000/) });
  });

  it('refuses leaves and proofs that do not lead to the root, and values of the wrong size', async () => {
    const { seed, answer } = await honest();
    const tile = answer.reveal({ rowTile: 5, colTile: 2 });
    const leaf = Buffer.from(tile.leaf);
    leaf[0]! ^= 1;
    expect(verifyTile(seed, SHAPE, answer.root, { ...tile, leaf }, 2)).toMatchObject({ ok: false, reason: expect.stringContaining('do not lead to the committed root') });
    expect(verifyTile(seed, SHAPE, answer.root, { ...tile, proof: tile.proof.slice(1) }, 2)).toMatchObject({ ok: false, reason: expect.stringContaining('do not lead to the committed root') });
    expect(verifyTile(seed, SHAPE, answer.root, { ...tile, values: tile.values.subarray(2) }, 2)).toMatchObject({ ok: false, reason: expect.stringContaining('bytes of values') });
    expect(verifyTile(seed, SHAPE, Buffer.alloc(32), tile, 2)).toMatchObject({ ok: false });
    // A tile of another challenge (another seed) is not this product.
    const other = await honest();
    expect(verifyTile(other.seed, SHAPE, answer.root, tile, 2).ok).toBe(false);
  });

  it('builds Merkle proofs for odd leaf counts', () => {
    for (const count of [1, 2, 3, 5, 8, 13]) {
      const leaves = Array.from({ length: count }, (_, i) => Buffer.from([i, i + 1]));
      const levels = merkleLevels(leaves);
      for (let i = 0; i < count; i++) expect(merkleRootFrom(leaves[i]!, i, count, merkleProof(levels, i))).toEqual(levels.at(-1)![0]);
    }
  });

  it('picks distinct tiles, spread over the product', () => {
    const tiles = pickTiles(SHAPE, 8);
    expect(new Set(tiles.map((t) => `${t.rowTile},${t.colTile}`)).size).toBe(8);
    expect(tiles.every((t) => t.rowTile < SHAPE.rowTiles && t.colTile < SHAPE.colTiles)).toBe(true);
    expect(pickTiles(SHAPE, 100)).toHaveLength(SHAPE.rowTiles * SHAPE.colTiles);
    expect(FINGERPRINT_BYTES).toBe(4);
  });

  // npm test (TESSERA_SUITE=full) installs python3-torch, so there this never skips.
  const python = spawnSync('/usr/bin/python3', ['-c', 'import torch']).status === 0 || process.env.TESSERA_SUITE === 'full';
  it.runIf(python)('gets the same root and tiles from the PyTorch helper (on the CPU here) as from TypeScript', async () => {
    const { seed, answer } = await honest();
    const shape = { inner: SHAPE.inner, tile_rows: SHAPE.tileRows, tile_cols: SHAPE.tileCols, row_tiles: SHAPE.rowTiles, col_tiles: SHAPE.colTiles, leaf_bands: SHAPE.leafBands };
    const requests = [{ op: 'challenge', id: 'c-1', seed: seed.toString('hex'), ...shape, deadline_ms: 60_000, device: 'cpu' }, { op: 'tile', id: 'c-1', row_tile: 5, col_tile: 2 }];
    const run = spawnSync('/usr/bin/python3', ['src/agent/challenge/torch_challenge.py'], { input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const [commit, tile] = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(commit!.root).toBe(answer.root.toString('hex'));
    const mine = answer.reveal({ rowTile: 5, colTile: 2 });
    expect(Buffer.from(String(tile!.values), 'base64')).toEqual(mine.values);
    expect(Buffer.from(String(tile!.leaf), 'base64')).toEqual(mine.leaf);
    expect((tile!.proof as string[]).map((p) => Buffer.from(p, 'base64'))).toEqual(mine.proof);
  });
});
