/**
 * serve: how `tessera scheduler` and `tessera gateway` run — open the process's one Kv (etcd, or
 * memory without --etcd) and the topology store on it, start the server, stop everything in
 * reverse on a signal.
 */
import type { Logger } from '../common/logger.js';
import type { EtcdSecurity } from '../store/etcd-security.js';
import type { Kv } from '../store/kv.js';
import type { TopologyStore } from '../store/topology-store.js';
import { untilSignal, type Stoppable } from './lifecycle.js';

export async function serve(logger: Logger, config: { etcdEndpoints: string[]; etcdPrefix: string }, etcdSecurity: EtcdSecurity, start: (store: TopologyStore, kv: Kv) => Promise<Stoppable>): Promise<void> {
  // Heavy modules load only when a server runs, so every `tessera` start stays quick.
  const { openStore } = await import('../store/open-store.js');
  const store = await openStore({ ...config, logger, etcdSecurity });
  const server = await start(store, store.kv);
  await untilSignal(logger, [{ stop: () => store.kv.close() }, server]);
}
