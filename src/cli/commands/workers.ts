/**
 * `tessera workers`: the fleet as the gateway sees it.
 */
import { Command, Option } from 'commander';
import type { ServiceError } from '@grpc/grpc-js';
import { workersTable } from '../format.js';
import { InvalidArgument, NotFound } from '../../common/errors.js';
import { createLogger } from '../../common/logger.js';
import { WORKER_ID_PATTERN } from '../../common/worker.js';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions, etcdSecurityFrom, splitList, type EtcdFlags } from '../options.js';

export function workersCommand(): Command {
  const revoke = new Command('revoke')
    .description('Revoke a worker for good: its stream closes on every replica, its credentials fail from then on, its shards run elsewhere')
    .argument('<worker>', 'worker id (w- and 16 hex digits)');
  addStoreOptions(revoke);
  revoke.action(async (workerId: string, flags: { etcd?: string; etcdPrefix?: string } & EtcdFlags) => {
    const logger = createLogger('cli', process.env, true);
    try {
      if (!WORKER_ID_PATTERN.test(workerId)) throw new InvalidArgument('worker', 'expected a worker id: w- and 16 hex digits (see `tessera workers`)');
      const endpoints = splitList(flags.etcd) ?? [];
      if (endpoints.length === 0) throw new Error('--etcd is required: workers are revoked in the fleet store');
      const { openStore } = await import('../../store/open-store.js');
      const store = await openStore({ etcdEndpoints: endpoints, etcdPrefix: flags.etcdPrefix ?? '/tessera/v1/', logger, etcdSecurity: etcdSecurityFrom(flags) });
      try {
        const outcome = await store.revokeWorker(workerId, Date.now());
        if (outcome === 'not-found') throw new NotFound(`worker ${workerId} not found`);
        process.stdout.write(`revoked ${workerId}: its stream closes now on every scheduler replica, its credentials are gone, its shards run elsewhere\n`);
      } finally {
        await store.kv.close();
      }
    } catch (err) {
      failAndExit(err);
    }
  });
  return new Command('workers')
    .description('List workers: id, GPUs, region, online, last heartbeat')
    .addOption(new Option('--gateway <host:port>', 'gateway address (default: 127.0.0.1:7080)').env('TESSERA_GATEWAY').default('127.0.0.1:7080'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate the gateway\'s TLS certificate must chain to (plaintext without one)').env('TESSERA_TLS_CA'))
    .option('--online', 'only online workers')
    .option('--region <region>', 'only workers in this region')
    .option('--gpu-model <name>', 'only workers with this GPU model, e.g. "NVIDIA H200"')
    .option('--json', 'print JSON instead of a table')
    .addCommand(revoke)
    .action(async (flags: { gateway: string; tlsCa?: string; online?: boolean; region?: string; gpuModel?: string; json?: boolean }) => {
      const { connectGateway, listWorkers } = await import('../gateway-client.js');
      const client = connectGateway(flags.gateway, flags.tlsCa);
      try {
        const workers = await listWorkers(client, { onlineOnly: flags.online ?? false, region: flags.region ?? '', gpuModel: flags.gpuModel ?? '' });
        process.stdout.write(flags.json ? JSON.stringify(workers, null, 2) + '\n' : workersTable(workers));
      } catch (err) {
        const e = err as ServiceError;
        process.stderr.write(`tessera: cannot list workers from ${flags.gateway}: ${e.details ?? e.message}\n`);
        process.exitCode = 1;
      } finally {
        client.close();
      }
    });
}
