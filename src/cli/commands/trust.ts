/**
 * `tessera reputation WORKER [--explain] [--as-of T]` recomputes a worker's reputation from its
 * event log in etcd with the published formula; `tessera trust clear WORKER` lets an operator
 * clear a worker's flags after looking into them.
 */
import { Command, Option } from 'commander';
import type { ReputationInputs } from '../../common/reputation.js';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions, splitList, etcdSecurityFrom, type EtcdFlags } from '../options.js';

interface StoreFlags extends EtcdFlags {
  etcd?: string;
  etcdPrefix?: string;
}

async function trustStore(flags: StoreFlags) {
  const endpoints = splitList(flags.etcd) ?? [];
  if (endpoints.length === 0) throw new Error('--etcd is required: the reputation log lives in the fleet store');
  const { EtcdKv } = await import('../../store/kv-etcd.js');
  const { TrustStore } = await import('../../store/trust-store.js');
  const kv = new EtcdKv(endpoints, { security: etcdSecurityFrom(flags) });
  return { kv, store: new TrustStore(kv, flags.etcdPrefix ?? '/tessera/v1/') };
}

export function trustCommands(): Command[] {
  const reputation = new Command('reputation')
    .description("Recompute a worker's reputation from its rollups and events in the store (docs/reputation.md)")
    .argument('[worker-id]', 'the worker (not needed with --from-file)')
    .option('--explain', 'show every term of the formula')
    .addOption(new Option('--as-of <time>', 'compute for this instant (ISO time or epoch ms), e.g. the as_of GetWorker returned'))
    .option('--export', 'print the inputs (rollups, the day\'s events, join time) and every retained event as JSON, to recompute elsewhere')
    .addOption(new Option('--from-file <path>', 'recompute from a file written by --export, without the store'))
    .option('--json', 'print JSON');
  addStoreOptions(reputation);
  reputation.action(async (workerId: string | undefined, flags: StoreFlags & { explain?: boolean; asOf?: string; json?: boolean; export?: boolean; fromFile?: string }) => {
    try {
      const { computeReputation, tenureDetail } = await import('../../common/reputation.js');
      let inputs: ReputationInputs;
      if (flags.fromFile) {
        const { readFile } = await import('node:fs/promises');
        inputs = (JSON.parse(await readFile(flags.fromFile, 'utf8')) as { inputs: typeof inputs }).inputs;
        workerId ??= 'exported worker';
      } else {
        if (!workerId) throw new Error('name a worker, or pass --from-file');
        const asOf = flags.asOf === undefined ? Date.now() : /^\d+$/.test(flags.asOf) ? Number(flags.asOf) : Date.parse(flags.asOf);
        if (!Number.isFinite(asOf)) throw new Error(`--as-of: expected an ISO time or epoch milliseconds, got ${flags.asOf}`);
        const { kv, store } = await trustStore(flags);
        try {
          const record = await kv.get(`${flags.etcdPrefix ?? '/tessera/v1/'}workers/${workerId}`);
          if (!record) throw new Error(`no worker ${workerId} in the store`);
          const joinedAtMs = (JSON.parse(record.value) as { joinedAtMs: number }).joinedAtMs;
          inputs = await store.reputationInputs(workerId, joinedAtMs, asOf);
          if (flags.export) {
            process.stdout.write(JSON.stringify({ workerId, inputs, retainedEvents: await store.events(workerId) }, null, 2) + '\n');
            return;
          }
        } finally {
          await kv.close();
        }
      }
      const score = computeReputation(inputs);
      if (flags.json) return void process.stdout.write(JSON.stringify(score, null, 2) + '\n');
      process.stdout.write(`${workerId}: reputation ${score.score.toFixed(3)} (${score.events} events, as of ${new Date(inputs.asOfMs).toISOString()})\n`);
      if (flags.explain) {
        for (const c of score.components) process.stdout.write(`  ${c.name.padEnd(10)} ${(100 * c.value).toFixed(1).padStart(5)}% × ${c.weight.toFixed(2)}  ${c.detail}\n`);
        process.stdout.write(`  record = 100 × Σ value × weight = ${score.record.toFixed(3)}\n  ${tenureDetail(score)} = ${score.score.toFixed(3)}\n`);
      }
    } catch (err) {
      failAndExit(err);
    }
  });

  const clear = new Command('clear').description("Clear a worker's flags (it is challenged again before it counts as verified)").argument('<worker-id>');
  addStoreOptions(clear);
  clear.action(async (workerId: string, flags: StoreFlags) => {
    try {
      const { kv, store } = await trustStore(flags);
      const current = await store.get(workerId);
      if (!current) throw new Error(`no trust record for ${workerId}`);
      const cleared = current.record.flags.length;
      // Clearing also forgets the verified hardware: the worker proves itself again.
      const { verifiedHardwareHash: _dropped, verifiedAtMs: _at, ...rest } = current.record;
      const ok = await store.put({ ...rest, flags: [] }, current.modRevision);
      await kv.close();
      if (ok === undefined) throw new Error('the record changed meanwhile; run the command again');
      process.stdout.write(`${workerId}: ${cleared} flag(s) cleared; it is unverified until its next challenge passes\n`);
    } catch (err) {
      failAndExit(err);
    }
  });
  return [reputation, new Command('trust').description('Inspect and clear trust flags').addCommand(clear)];
}
