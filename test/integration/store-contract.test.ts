import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/common/logger.js';
import { EtcdTopologyStore } from '../../src/store/etcd-store.js';
import { MemoryTopologyStore } from '../../src/store/memory-store.js';
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
  () => Promise.resolve(new MemoryTopologyStore()),
  (store) => store.close(),
);

describeStoreContract(
  'etcd',
  async () => {
    // Each test gets its own key root and deletes it afterwards.
    const store = new EtcdTopologyStore({ endpoints: [etcd.endpoint], root: `/tessera-test-${randomBytes(4).toString('hex')}/v1/`, logger });
    await store.ping();
    return store;
  },
  async (store) => {
    await (store as EtcdTopologyStore).deleteAll();
    await store.close();
  },
);
