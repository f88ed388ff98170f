/**
 * verify-task: runs in a worker thread and checks revealed tiles (common/challenge.ts verifyTile),
 * so the O(K·W) Freivalds rounds never hold up heartbeats on the scheduler's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { verifyTile, type ChallengeShape, type Verdict } from '../../common/challenge.js';

/** VerifyRequest is one tile to check; buffers arrive as Uint8Array through structured clone. */
export interface VerifyRequest {
  id: number;
  seed: Uint8Array;
  shape: ChallengeShape;
  root: Uint8Array;
  tile: { rowTile: number; colTile: number; values: Uint8Array; leaf: Uint8Array; proof: Uint8Array[] };
  rounds: number;
}

/** VerifyResponse is the verdict with the time the check took. */
export interface VerifyResponse {
  id: number;
  verdict: Verdict;
  ms: number;
}

const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

parentPort?.on('message', (req: VerifyRequest) => {
  const started = performance.now();
  let verdict: Verdict;
  try {
    verdict = verifyTile(buf(req.seed), req.shape, buf(req.root), { ...req.tile, values: buf(req.tile.values), leaf: buf(req.tile.leaf), proof: req.tile.proof.map(buf) }, req.rounds);
  } catch (err) {
    verdict = { ok: false, reason: `malformed answer: ${(err as Error).message}` };
  }
  const response: VerifyResponse = { id: req.id, verdict, ms: performance.now() - started };
  parentPort!.postMessage(response);
});
