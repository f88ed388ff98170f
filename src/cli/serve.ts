/**
 * serve: how `tessera scheduler` and `tessera gateway` run — open the topology store and the job
 * Kv (etcd, or memory without --etcd), start the server, stop everything in reverse on a signal.
 */
import type { Logger } from '../common/logger.js';
import type { EtcdSecurity } from '../store/etcd-security.js';
import type { Kv } from '../store/kv.js';
import type { TopologyStore } from '../store/topology-store.js';
import { untilSignal, type Stoppable } from './lifecycle.js';

export async function serve(logger: Logger, config: { etcdEndpoints: string[]; etcdPrefix: string }, etcdSecurity: EtcdSecurity, start: (store: TopologyStore, kv: Kv) => Promise<Stoppable>): Promise<void> {
  // Heavy modules load only when a server runs, so every `tessera` start stays quick.
  const { openKv, openStore } = await import('../store/open-store.js');
  const store = await openStore({ ...config, logger, etcdSecurity });
  const kv = await openKv({ ...config, etcdSecurity });
  const server = await start(store, kv);
  await untilSignal(logger, [{ stop: () => store.close() }, { stop: () => kv.close() }, server]);
}
