/**
 * `tessera reputation WORKER [--explain] [--as-of T]` recomputes a worker's reputation from its
 * event log in etcd with the published formula; `tessera trust clear WORKER` lets an operator
 * clear a worker's flags after looking into them.
 */
import { Command, Option } from 'commander';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions, splitList } from '../options.js';

interface StoreFlags {
  etcd?: string;
  etcdPrefix?: string;
}

async function trustStore(flags: StoreFlags) {
  const endpoints = splitList(flags.etcd) ?? [];
  if (endpoints.length === 0) throw new Error('--etcd is required: the reputation log lives in the fleet store');
  const { EtcdKv } = await import('../../store/kv-etcd.js');
  const { TrustStore } = await import('../../store/trust-store.js');
  const kv = new EtcdKv(endpoints);
  return { kv, store: new TrustStore(kv, flags.etcdPrefix ?? '/tessera/v1/') };
}

export function trustCommands(): Command[] {
  const reputation = new Command('reputation')
    .description("Recompute a worker's reputation from its event log (docs/reputation.md)")
    .argument('<worker-id>')
    .option('--explain', 'show every term of the formula')
    .addOption(new Option('--as-of <time>', 'compute for this instant (ISO time or epoch ms), e.g. the as_of GetWorker returned'))
    .option('--json', 'print JSON');
  addStoreOptions(reputation);
  reputation.action(async (workerId: string, flags: StoreFlags & { explain?: boolean; asOf?: string; json?: boolean }) => {
    try {
      const { computeReputation } = await import('../../common/reputation.js');
      const { kv, store } = await trustStore(flags);
      const asOf = flags.asOf === undefined ? Date.now() : /^\d+$/.test(flags.asOf) ? Number(flags.asOf) : Date.parse(flags.asOf);
      if (!Number.isFinite(asOf)) throw new Error(`--as-of: expected an ISO time or epoch milliseconds, got ${flags.asOf}`);
      const score = computeReputation(await store.events(workerId), asOf);
      await kv.close();
      if (flags.json) return void process.stdout.write(JSON.stringify(score, null, 2) + '\n');
      process.stdout.write(`${workerId}: reputation ${score.score.toFixed(3)} (${score.events} events, as of ${new Date(asOf).toISOString()})\n`);
      if (flags.explain) {
        for (const c of score.components) process.stdout.write(`  ${c.name.padEnd(10)} ${(100 * c.value).toFixed(1).padStart(5)}% × ${c.weight.toFixed(2)}  ${c.detail}\n`);
        process.stdout.write(`  score = 100 × Σ value × weight = ${score.score.toFixed(3)}\n`);
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
