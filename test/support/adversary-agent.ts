/**
 * adversary-agent: a Tessera agent that cheats on compute challenges, run as its own process by
 * the trust suite: `node --import tsx test/support/adversary-agent.ts <mode> <agent flags…>`.
 *
 *   wrong-answer  commits to a product with one wrong entry per row (hashes consistent with it)
 *   replay        answers every challenge after the first with the first one's product
 *
 * It is the real agent with two methods overridden — what a fraudster patching the agent does.
 */
import { Agent } from '../../src/agent/agent.js';
import { parseAgentConfig } from '../../src/agent/config.js';
import { multiplyOnCpu, rowHash, rowsRoot } from '../../src/common/challenge.js';
import { createLogger } from '../../src/common/logger.js';
import type { ChallengeCommitWire } from '../../src/gen/tessera/v1/ChallengeCommit.js';
import type { ChallengeRowsWire } from '../../src/gen/tessera/v1/ChallengeRows.js';
import type { ComputeChallenge } from '../../src/gen/tessera/v1/ComputeChallenge.js';
import type { RevealRows } from '../../src/gen/tessera/v1/RevealRows.js';

const [mode, ...args] = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

class CheatingAgent extends Agent {
  private product: Float64Array[] | undefined;
  private first: { commit: ChallengeCommitWire; product: Float64Array[]; hashes: Buffer[] } | undefined;

  protected override async answerChallenge(challenge: ComputeChallenge): Promise<ChallengeCommitWire> {
    if (mode === 'replay' && this.first) {
      this.product = this.first.product;
      return { ...this.first.commit, challengeId: challenge.challengeId };
    }
    const product = (await multiplyOnCpu(challenge.seed, challenge.n, Date.now() + challenge.deadlineMs))!;
    if (mode === 'wrong-answer') product.forEach((row, i) => (row[i % challenge.n]! += 1));
    const hashes = product.map((r) => rowHash(r, 'fp32'));
    const commit = { challengeId: challenge.challengeId, rowsRoot: rowsRoot(hashes), computeMs: 1, device: 'cpu (tessera)' };
    this.product = product;
    this.first ??= { commit, product, hashes };
    return commit;
  }

  protected override revealRows(request: RevealRows): Promise<ChallengeRowsWire> {
    const product = this.product!;
    return Promise.resolve({ challengeId: request.challengeId, rows: request.rows.map((index) => ({ index, values: Array.from(product[index] ?? []) })), rowHashes: product.map((r) => rowHash(r, 'fp32')) });
  }
}

const logger = createLogger('adversary');
const agent = new CheatingAgent(
  parseAgentConfig({ scheduler: flag('scheduler'), joinToken: flag('join-token'), stateDir: flag('state-dir'), name: flag('name'), metricsListen: '127.0.0.1:0', backoffInitialMs: '100ms', backoffMaxMs: '1s' }),
  logger,
);
process.once('SIGTERM', () => void agent.stop());
await agent.run();
