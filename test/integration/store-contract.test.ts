import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/common/logger.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { MemoryKv } from '../../src/store/kv-memory.js';
import { TopologyStore } from '../../src/store/topology-store.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { describeStoreContract } from '../support/store-contract.js';

const logger = createLogger('test', { TESSERA_LOG_LEVEL: 'silent' });
let etcd: EtcdServer;

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

describeStoreContract(
  'in-memory',
  () => Promise.resolve(new TopologyStore(new MemoryKv(), undefined, logger)),
  (store) => store.kv.close(),
);

describeStoreContract(
  'etcd',
  async () => {
    // Each test gets its own key root and deletes it afterwards.
    const kv = new EtcdKv([etcd.endpoint]);
    await kv.ping();
    return new TopologyStore(kv, `/tessera-test-${randomBytes(4).toString('hex')}/v1/`, logger);
  },
  async (store) => {
    await store.deleteAll();
    await store.kv.close();
  },
);
