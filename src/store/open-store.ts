/**
 * open-store: picks the TopologyStore from settings: etcd when endpoints are given, else memory.
 */
import type { Logger } from '../common/logger.js';
import type { EtcdSecurity } from './etcd-security.js';
import { EtcdTopologyStore } from './etcd-store.js';
import { MemoryTopologyStore } from './memory-store.js';
import type { TopologyStore } from './topology-store.js';
import type { Kv } from './kv.js';
import { MemoryKv } from './kv-memory.js';

/** openStore connects to etcd (and checks it answers) or creates an in-memory store. */
export async function openStore(options: { etcdEndpoints: string[]; etcdPrefix: string; logger: Logger; etcdSecurity?: EtcdSecurity }): Promise<TopologyStore> {
  if (options.etcdEndpoints.length === 0) {
    options.logger.info('using the in-memory topology store: state lives in this process only');
    return new MemoryTopologyStore();
  }
  const store = new EtcdTopologyStore({ endpoints: options.etcdEndpoints, root: options.etcdPrefix, logger: options.logger, ...(options.etcdSecurity && { security: options.etcdSecurity }) });
  try {
    await store.ping();
  } catch (err) {
    await store.close();
    throw err;
  }
  options.logger.info({ endpoints: options.etcdEndpoints, prefix: options.etcdPrefix }, 'using etcd for the topology');
  return store;
}

/** openKv opens the Kv the job store runs on: etcd when endpoints are given, else in memory. */
export async function openKv(options: { etcdEndpoints: string[]; etcdSecurity?: EtcdSecurity }): Promise<Kv> {
  if (options.etcdEndpoints.length === 0) return new MemoryKv();
  const { EtcdKv } = await import('./kv-etcd.js');
  return new EtcdKv(options.etcdEndpoints, options.etcdSecurity);
}
