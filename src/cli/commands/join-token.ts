/**
 * `tessera join-token create | list | revoke`: mints a join token, as `kubeadm token create`
 * does, lists the stored ones by id (the first 12 hex digits of the hash the store keeps), and
 * revokes one. The operator hands a token to a worker's owner; the store keeps only its hash.
 */
import { Command, Option } from 'commander';
import { z } from 'zod';
import { durationMs, parseConfig } from '../../common/config.js';
import { createLogger } from '../../common/logger.js';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions, splitList, toInt, etcdSecurityFrom, type EtcdFlags } from '../options.js';
import { table } from '../format.js';
import type { TopologyStore } from '../../store/topology-store.js';

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
  create.action(async (flags: { uses?: number; ttl?: string; description?: string; etcd?: string; etcdPrefix?: string } & EtcdFlags) => {
    const logger = createLogger('cli', process.env, true);
    try {
      const config = parseConfig(
        schema,
        { etcdEndpoints: splitList(flags.etcd), etcdPrefix: flags.etcdPrefix, uses: flags.uses, ttlMs: flags.ttl, description: flags.description },
        { etcdEndpoints: '--etcd / TESSERA_ETCD', uses: '--uses', ttlMs: '--ttl', description: '--description' },
      );
      const { openStore } = await import('../../store/open-store.js');
      const { createJoinToken } = await import('../../store/join-tokens.js');
      const store = await openStore({ ...config, logger, etcdSecurity: etcdSecurityFrom(flags) });
      const { token, expiresAtMs } = await createJoinToken(store, config);
      await store.kv.close();
      process.stdout.write(`${token}\n`);
      process.stderr.write(`valid for ${config.uses} join(s) until ${new Date(expiresAtMs).toISOString()}; it is not shown again\n`);
    } catch (err) {
      failAndExit(err);
    }
  });
  const list = addStoreOptions(new Command('list'))
    .description('List join tokens by id: description, uses left, expiry, creation (the tokens themselves are not stored)')
    .option('--json', 'print JSON')
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      try {
        const tokens = await withTopologyStore(flags, async (store) => {
          const { listJoinTokens } = await import('../../store/join-tokens.js');
          return listJoinTokens(store);
        });
        if (flags.json) return void process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
        const when = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
        process.stdout.write(table(['ID', 'DESCRIPTION', 'USES LEFT', 'EXPIRES', 'CREATED'], tokens.map((t) => [t.id, t.description || '-', String(t.usesLeft), `${when(t.expiresAtMs)}${t.expired ? ' (expired)' : ''}`, when(t.createdAtMs)])));
      } catch (err) {
        failAndExit(err);
      }
    });

  const revoke = addStoreOptions(new Command('revoke'))
    .description('Revoke a join token: Join refuses it from the next call on (workers that joined with it stay)')
    .argument('<token-or-id>', 'the token (tsj_…) or its id (12 hex digits, from `tessera join-token list`)')
    .action(async (tokenOrId: string, flags: StoreFlags) => {
      try {
        const revoked = await withTopologyStore(flags, async (store) => {
          const { revokeJoinToken } = await import('../../store/join-tokens.js');
          return revokeJoinToken(store, tokenOrId);
        });
        process.stdout.write(`revoked join token ${revoked.id}${revoked.description ? ` (${revoked.description})` : ''}; it had ${revoked.usesLeft} use(s) left\n`);
      } catch (err) {
        failAndExit(err);
      }
    });

  return new Command('join-token').description('Manage join tokens').addCommand(create).addCommand(list).addCommand(revoke);
}

interface StoreFlags extends EtcdFlags {
  etcd?: string;
  etcdPrefix?: string;
}

/** withTopologyStore opens the fleet's etcd for one command and closes it after. */
async function withTopologyStore<T>(flags: StoreFlags, work: (store: TopologyStore) => Promise<T>): Promise<T> {
  const config = parseConfig(
    schema.pick({ etcdEndpoints: true, etcdPrefix: true }),
    { etcdEndpoints: splitList(flags.etcd), etcdPrefix: flags.etcdPrefix },
    { etcdEndpoints: '--etcd / TESSERA_ETCD' },
  );
  const { openStore } = await import('../../store/open-store.js');
  const store = await openStore({ ...config, logger: createLogger('cli', process.env, true), etcdSecurity: etcdSecurityFrom(flags) });
  try {
    return await work(store);
  } finally {
    await store.kv.close();
  }
}
