/**
 * `tessera tenants …`: an operator's tenant commands, on the fleet store (--etcd), as
 * `join-token create` is: create a tenant, add and revoke its API keys, set its quota.
 */
import { Command, Option } from 'commander';
import { z } from 'zod';
import { DAY_MS } from '../../common/usage.js';
import { durationMs, parseConfig } from '../../common/config.js';
import { ConfigError } from '../../common/errors.js';
import { MAX_PERIOD_DAYS, quotaText, type TenantQuota } from '../../common/quota.js';
import type { TenantStore } from '../../store/tenant-store.js';
import type { JobStore } from '../../store/job-store.js';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions, etcdSecurityFrom, splitList, toInt, type EtcdFlags } from '../options.js';
import { table } from '../format.js';

interface StoreFlags extends EtcdFlags {
  etcd?: string;
  etcdPrefix?: string;
}

/** withTenantStore opens the fleet's etcd for one command and closes it after. */
export async function withTenantStore<T>(flags: StoreFlags, work: (tenants: TenantStore, jobs: JobStore) => Promise<T>): Promise<T> {
  const endpoints = splitList(flags.etcd) ?? [];
  if (endpoints.length === 0) throw new ConfigError('--etcd / TESSERA_ETCD', 'expected etcd endpoints: tenants live in the fleet store (tessera dev prints a key for its own)');
  const { EtcdKv } = await import('../../store/kv-etcd.js');
  const { JobStore } = await import('../../store/job-store.js');
  const { TenantStore } = await import('../../store/tenant-store.js');
  const kv = new EtcdKv(endpoints, { security: etcdSecurityFrom(flags) });
  try {
    const root = flags.etcdPrefix ?? '/tessera/v1/';
    return await work(new TenantStore(kv, root), new JobStore(kv, root));
  } finally {
    await kv.close();
  }
}

const quotaFlagsSchema = z.object({
  maxGpus: z.number().int('expected a whole number').min(0, 'expected 0 or more').max(1_000_000).optional(),
  maxShards: z.number().int('expected a whole number').min(0, 'expected 0 or more').max(1_000_000).optional(),
  gpuSeconds: z.number().int('expected a whole number').min(0, 'expected 0 or more').max(1e12).optional(),
  periodMs: durationMs
    .default('24h')
    .refine((ms) => ms > 0 && ms % DAY_MS === 0 && ms / DAY_MS <= MAX_PERIOD_DAYS, `expected whole UTC days, 24h or 1d to ${MAX_PERIOD_DAYS}d (usage is kept per day)`),
});

/** quotaFromFlags turns set-quota's flags into a quota; each bad flag is a ConfigError naming it. */
export function quotaFromFlags(flags: { maxGpus?: number; maxShards?: number; gpuSeconds?: number; period?: string }): TenantQuota {
  const parsed = parseConfig(
    quotaFlagsSchema,
    { maxGpus: flags.maxGpus, maxShards: flags.maxShards, gpuSeconds: flags.gpuSeconds, periodMs: flags.period },
    { maxGpus: '--max-gpus', maxShards: '--max-shards', gpuSeconds: '--gpu-seconds', periodMs: '--period' },
  );
  return {
    ...(parsed.maxGpus !== undefined && { maxGpus: parsed.maxGpus }),
    ...(parsed.maxShards !== undefined && { maxShards: parsed.maxShards }),
    ...(parsed.gpuSeconds !== undefined && { gpuSecondsPerPeriod: parsed.gpuSeconds }),
    periodDays: parsed.periodMs / DAY_MS,
  };
}

function storeCommand(name: string, description: string): Command {
  return addStoreOptions(new Command(name).description(description));
}

/** tenantsCommand is `tessera tenants` and its subcommands. */
export function tenantsCommand(): Command {
  const create = storeCommand('create', 'Create a tenant and print its API key (once)')
    .argument('<name>')
    .action(async (name: string, flags: StoreFlags) => {
      try {
        const { tenant, apiKey } = await withTenantStore(flags, (_tenants, jobs) => jobs.createTenant(name));
        const { sha256Hex } = await import('../../common/secrets.js');
        process.stdout.write(`${apiKey}\n`);
        process.stderr.write(`tenant ${tenant.id} (${tenant.name}), key ${sha256Hex(apiKey).slice(0, 12)}; the key is not shown again\n`);
      } catch (err) {
        failAndExit(err);
      }
    });

  const createKey = storeCommand('create-key', "Add an API key to a tenant and print it (once); the tenant's other keys keep working")
    .argument('<tenant>', 'tenant id (t-…) or name')
    .action(async (tenantArg: string, flags: StoreFlags) => {
      try {
        const { tenant, apiKey, keyId } = await withTenantStore(flags, async (tenants) => {
          const tenant = await tenants.resolveTenant(tenantArg);
          return { tenant, ...(await tenants.createKey(tenant.id)) };
        });
        process.stdout.write(`${apiKey}\n`);
        process.stderr.write(`key ${keyId} for tenant ${tenant.id} (${tenant.name}); the key is not shown again\n`);
      } catch (err) {
        failAndExit(err);
      }
    });

  const keys = storeCommand('keys', "List a tenant's API keys by id (the keys themselves are not stored)")
    .argument('<tenant>', 'tenant id (t-…) or name')
    .action(async (tenantArg: string, flags: StoreFlags) => {
      try {
        const list = await withTenantStore(flags, async (tenants) => tenants.listKeys((await tenants.resolveTenant(tenantArg)).id));
        process.stdout.write(table(['KEY ID', 'TENANT', 'CREATED'], list.map((k) => [k.keyId, k.tenantId, k.createdAtMs ? new Date(k.createdAtMs).toISOString() : '-'])));
      } catch (err) {
        failAndExit(err);
      }
    });

  const revokeKey = storeCommand('revoke-key', 'Revoke one API key; gateways refuse it within a second')
    .argument('<key>', 'the key (tsk_…) or its id (12 hex digits, from `tessera tenants keys`)')
    .action(async (key: string, flags: StoreFlags) => {
      try {
        const revoked = await withTenantStore(flags, (tenants) => tenants.revokeKey(key));
        process.stdout.write(`revoked key ${revoked.keyId} of tenant ${revoked.tenantId}\n`);
      } catch (err) {
        failAndExit(err);
      }
    });

  const setQuota = storeCommand('set-quota', "Set a tenant's whole quota; a limit left out is no limit")
    .argument('<tenant>', 'tenant id (t-…) or name')
    .addOption(new Option('--max-gpus <n>', 'GPUs its placed and running shards may hold at once').argParser(toInt))
    .addOption(new Option('--max-shards <n>', 'shards it may have placed or running at once').argParser(toInt))
    .addOption(new Option('--gpu-seconds <n>', 'GPU-seconds per period; once spent, shards needing GPUs wait for the next period').argParser(toInt))
    .addOption(new Option('--period <duration>', 'the --gpu-seconds period in whole UTC days: 24h (each UTC day), 7d, 30d (default: 24h)'))
    .action(async (tenantArg: string, flags: StoreFlags & { maxGpus?: number; maxShards?: number; gpuSeconds?: number; period?: string }) => {
      try {
        const quota = quotaFromFlags(flags);
        const tenant = await withTenantStore(flags, async (tenants) => {
          const tenant = await tenants.resolveTenant(tenantArg);
          await tenants.setQuota(tenant.id, quota);
          return tenant;
        });
        process.stdout.write(`tenant ${tenant.id} (${tenant.name}): ${quotaText(quota)}\n`);
      } catch (err) {
        failAndExit(err);
      }
    });

  return new Command('tenants').description('Manage tenants, their API keys and quotas (on the fleet store: --etcd)').addCommand(create).addCommand(createKey).addCommand(keys).addCommand(revokeKey).addCommand(setQuota);
}
