/**
 * `tessera workers revoke`: the worker's stream closes at once, its credentials fail from then on
 * (its agent keeps its identity and says why), it shows as revoked, and the shard it ran finishes
 * on another worker.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listWorkers } from '../../src/cli/gateway-client.js';
import { collectEvents, startJobFleet, workJob, type JobFleet } from '../support/jobs.js';
import { runTessera, waitFor } from '../support/processes.js';

let fleet: JobFleet;
beforeAll(async () => {
  fleet = await startJobFleet(2);
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
});

it('closes the revoked worker\'s stream within a second, refuses it from then on, and reruns its shard elsewhere', async () => {
  const { jobId } = await fleet.calls.submit(workJob('outlives-its-worker', 1, 8_000, { maxAttempts: 2 }));
  const placed = await waitFor(async () => {
    const shard = (await fleet.calls.get(jobId)).job!.shards[0]!;
    return shard.state === 'SHARD_STATE_RUNNING' ? shard.workerId : undefined;
  }, 20_000, 'the shard running');
  const victim = fleet.agents.find((a) => a.workerId === placed)!;
  const survivor = fleet.agents.find((a) => a.workerId !== placed)!;

  // The store call `tessera workers revoke` makes, timed here without a CLI process start.
  const revokedAt = Date.now();
  expect(await fleet.servers.store.revokeWorker(placed, revokedAt)).toBe('revoked');
  const dropped = await victim.process.waitForLog((l) => String(l.msg).includes("rejected this worker's identity") && l.details === 'this worker was revoked by an operator', 5_000);
  expect(Date.parse(String(dropped.time)) - revokedAt).toBeLessThan(1_000);
  // It tries again with the identity it keeps, and its secret no longer opens anything.
  await victim.process.waitForLog((l) => String(l.msg).includes("rejected this worker's identity") && l.details === 'unknown worker or wrong worker secret', 10_000);

  const events = await collectEvents(fleet, jobId);
  const final = events.find((e) => e.event === 'shardResult')!.shardResult!;
  expect(final).toMatchObject({ state: 'SHARD_STATE_SUCCEEDED', workerId: survivor.workerId });
  const listed = await listWorkers(fleet.servers.gatewayClient);
  const revoked = listed.find((w) => w.id === placed)!;
  expect(revoked.online).toBe(false);
  expect(revoked.revokedTime).not.toBeNull();
  expect(await fleet.servers.store.getCredentialHash(placed)).toBeUndefined();
  // The CLI: revoking again is harmless; an unknown worker is a clear error.
  const again = await runTessera(['workers', 'revoke', placed, '--etcd', fleet.etcd.endpoint, '--etcd-prefix', fleet.servers.root]);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toContain(`revoked ${placed}`);
  const unknown = await runTessera(['workers', 'revoke', 'w-0000000000000000', '--etcd', fleet.etcd.endpoint, '--etcd-prefix', fleet.servers.root]);
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr).toContain('worker w-0000000000000000 not found');
});
