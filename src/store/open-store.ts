/**
 * open-store: opens the one Kv of a process — etcd when endpoints are given (checked to answer),
 * else in memory — and the topology store on it.
 */
import type { Logger } from '../common/logger.js';
import type { EtcdSecurity } from './etcd-security.js';
import type { Kv } from './kv.js';
import { MemoryKv } from './kv-memory.js';
import { TopologyStore } from './topology-store.js';

/** openKv connects to etcd (and checks it answers) or creates an in-memory store. */
export async function openKv(options: { etcdEndpoints: string[]; logger: Logger; etcdSecurity?: EtcdSecurity }): Promise<Kv> {
  if (options.etcdEndpoints.length === 0) {
    options.logger.info('using the in-memory store: state lives in this process only');
    return new MemoryKv();
  }
  const { EtcdKv } = await import('./kv-etcd.js');
  const kv = new EtcdKv(options.etcdEndpoints, { logger: options.logger, ...(options.etcdSecurity && { security: options.etcdSecurity }) });
  try {
    await kv.ping();
  } catch (err) {
    await kv.close();
    throw err;
  }
  options.logger.info({ endpoints: options.etcdEndpoints }, 'using etcd');
  return kv;
}

/** openStore opens the Kv and the topology store on it; closing the store's Kv closes both. */
export async function openStore(options: { etcdEndpoints: string[]; etcdPrefix: string; logger: Logger; etcdSecurity?: EtcdSecurity }): Promise<TopologyStore> {
  return new TopologyStore(await openKv(options), options.etcdPrefix, options.logger);
}
