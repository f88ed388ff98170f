/**
 * `tessera join-token create`: mints a join token, as `kubeadm token create` does. The operator
 * hands it to a worker's owner; the store keeps only its hash.
 */
import { Command, Option } from 'commander';
import { z } from 'zod';
import { durationMs, parseConfig } from '../../common/config.js';
import { createLogger } from '../../common/logger.js';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions, splitList, toInt } from '../options.js';

const schema = z.object({
  etcdEndpoints: z.array(z.string().url()).min(1, 'expected etcd endpoints: join tokens live in the fleet store'),
  etcdPrefix: z.string().default('/tessera/v1/'),
  uses: z.number().int().min(1, 'expected at least 1').max(100_000).default(1),
  ttlMs: durationMs.default('24h').refine((ms) => ms >= 1000 && ms <= 365 * 86_400_000, 'expected 1s to 365d'),
  description: z.string().max(200).default(''),
});

export function joinTokenCommand(): Command {
  const create = new Command('create')
    .description('Create a join token for new workers (printed once)')
    .addOption(new Option('--uses <n>', 'how many workers may join with it (default: 1)').argParser(toInt))
    .addOption(new Option('--ttl <duration>', 'how long it is valid (default: 24h)'))
    .option('--description <text>', 'a note for operators');
  addStoreOptions(create);
  create.action(async (flags: { uses?: number; ttl?: string; description?: string; etcd?: string; etcdPrefix?: string }) => {
    const logger = createLogger('cli', process.env, true);
    try {
      const config = parseConfig(
        schema,
        { etcdEndpoints: splitList(flags.etcd), etcdPrefix: flags.etcdPrefix, uses: flags.uses, ttlMs: flags.ttl, description: flags.description },
        { etcdEndpoints: '--etcd / TESSERA_ETCD', uses: '--uses', ttlMs: '--ttl', description: '--description' },
      );
      const { openStore } = await import('../../store/open-store.js');
      const { createJoinToken } = await import('../../store/join-tokens.js');
      const store = await openStore({ ...config, logger });
      const { token, expiresAtMs } = await createJoinToken(store, config);
      await store.close();
      process.stdout.write(`${token}\n`);
      process.stderr.write(`valid for ${config.uses} join(s) until ${new Date(expiresAtMs).toISOString()}; it is not shown again\n`);
    } catch (err) {
      failAndExit(err);
    }
  });
  return new Command('join-token').description('Manage join tokens').addCommand(create);
}
