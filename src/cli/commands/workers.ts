/**
 * `tessera workers`: the fleet as the gateway sees it.
 */
import { Command, Option } from 'commander';
import type { ServiceError } from '@grpc/grpc-js';
import { workersTable } from '../format.js';

export function workersCommand(): Command {
  return new Command('workers')
    .description('List workers: id, GPUs, region, online, last heartbeat')
    .addOption(new Option('--gateway <host:port>', 'gateway address (default: 127.0.0.1:7080)').env('TESSERA_GATEWAY').default('127.0.0.1:7080'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate the gateway\'s TLS certificate must chain to (plaintext without one)').env('TESSERA_TLS_CA'))
    .option('--online', 'only online workers')
    .option('--region <region>', 'only workers in this region')
    .option('--gpu-model <name>', 'only workers with this GPU model, e.g. "NVIDIA H200"')
    .option('--json', 'print JSON instead of a table')
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
