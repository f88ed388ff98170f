/**
 * etcd: a private etcd per test file, on free ports, removed afterwards.
 */
import { Etcd3 } from 'etcd3';
import { startEtcdServer, type EtcdServer } from '../../src/store/etcd-server.js';

export type { EtcdServer };

/** startEtcd starts a private etcd; `extraArgs` adds flags (e.g. a smaller --max-request-bytes). */
export async function startEtcd(extraArgs: string[] = []): Promise<EtcdServer> {
  return startEtcdServer({ extraArgs });
}

/** dumpKeys reads every key under a prefix as a plain map, to compare store state before and after. */
export async function dumpKeys(endpoint: string, prefix: string): Promise<Record<string, string>> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    return await client.getAll().prefix(prefix).strings();
  } finally {
    client.close();
  }
}
