import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deriveRows, matrixKey, multiplyOnCpu, newChallengeSeed, pickRows, rowHash, rowsRoot, verifyReveal } from '../../src/common/challenge.js';

async function honest(n: number, precision: 'fp32' | 'fp64' = 'fp32') {
  const seed = newChallengeSeed();
  const product = (await multiplyOnCpu(seed, n, Date.now() + 60_000))!;
  const hashes = product.map((r) => rowHash(r, precision));
  return { seed, product, hashes, root: rowsRoot(hashes) };
}

describe('the compute challenge', () => {
  it('derives small-integer matrices deterministically from the seed', () => {
    const seed = Buffer.alloc(32, 7);
    const a = deriveRows(matrixKey(seed, 'A'), 8, 0, 8);
    expect(deriveRows(matrixKey(seed, 'A'), 8, 0, 8)).toEqual(a);
    expect(deriveRows(matrixKey(seed, 'B'), 8, 0, 8)).not.toEqual(a);
    expect([...a].every((v) => Number.isInteger(v) && v >= -8 && v <= 8)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(10);
  });

  it('accepts an honest answer', async () => {
    const { seed, product, hashes, root } = await honest(128);
    const asked = pickRows(128, 8);
    const rows = asked.map((index) => ({ index, values: Array.from(product[index]!) }));
    expect(verifyReveal(seed, 128, 'fp32', root, asked, rows, hashes, 16)).toEqual({ ok: true });
  });

  it("catches one wrong entry with Freivalds' check even when the hashes are consistent with it", async () => {
    const { seed, product } = await honest(128);
    product[5]![17]! += 1;
    const hashes = product.map((r) => rowHash(r, 'fp32'));
    const verdict = verifyReveal(seed, 128, 'fp32', rowsRoot(hashes), [5], [{ index: 5, values: Array.from(product[5]!) }], hashes, 32);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/^wrong answer: row 5 fails Freivalds' check/) });
  });

  it('catches a replayed answer: rows of another seed do not fit this one', async () => {
    const old = await honest(64);
    const fresh = newChallengeSeed();
    const verdict = verifyReveal(fresh, 64, 'fp32', old.root, [3], [{ index: 3, values: Array.from(old.product[3]!) }], old.hashes, 16);
    expect(verdict.ok).toBe(false);
  });

  it('refuses revealed rows that differ from the commitment, NaN, and wrong sizes, saying which', async () => {
    const { seed, product, hashes, root } = await honest(64);
    const row = Array.from(product[2]!);
    expect(verifyReveal(seed, 64, 'fp32', root, [2], [{ index: 2, values: row.map((v, i) => (i === 0 ? v + 1 : v)) }], hashes, 4)).toEqual({ ok: false, reason: 'row 2 does not match its committed hash' });
    expect(verifyReveal(seed, 64, 'fp32', root, [2], [{ index: 2, values: row.map((v, i) => (i === 0 ? NaN : v)) }], hashes, 4)).toMatchObject({ ok: false, reason: expect.stringContaining('NaN') });
    expect(verifyReveal(seed, 64, 'fp32', root, [2], [{ index: 2, values: row.slice(1) }], hashes, 4)).toEqual({ ok: false, reason: 'row 2: expected 64 values, got 63' });
    expect(verifyReveal(seed, 64, 'fp32', root, [2], [{ index: 2, values: row }], hashes.slice(1), 4)).toEqual({ ok: false, reason: 'expected 64 row hashes, got 63' });
    expect(verifyReveal(seed, 64, 'fp32', Buffer.alloc(32), [2], [{ index: 2, values: row }], hashes, 4)).toEqual({ ok: false, reason: 'row hashes do not match the committed root' });
  });

  // npm test (TESSERA_SUITE=full) installs python3-torch, so there this never skips.
  const python = spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy']).status === 0 || process.env.TESSERA_SUITE === 'full';
  it.runIf(python)('gets the same product hashes from the PyTorch helper (on the CPU here) as from TypeScript', async () => {
    const seed = newChallengeSeed();
    const request = JSON.stringify({ op: 'challenge', seed: seed.toString('hex'), n: 96, precision: 'fp32', device: 'cpu', memory_mib: 0 }) + '\n';
    const run = spawnSync('/usr/bin/python3', ['src/agent/challenge/torch_challenge.py'], { input: request, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout.trim()) as { root: string; hashes: string[] };
    const product = (await multiplyOnCpu(seed, 96, Date.now() + 60_000))!;
    const hashes = product.map((r) => rowHash(r, 'fp32'));
    expect(answer.hashes).toEqual(hashes.map((h) => h.toString('hex')));
    expect(answer.root).toBe(rowsRoot(hashes).toString('hex'));
  });
});
