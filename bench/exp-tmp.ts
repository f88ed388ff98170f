import { startEtcdServer } from '../src/store/etcd-server.js';
import { committedPerSecond, rawBatchedPerSecond } from './placement.js';
const etcd = await startEtcdServer();
for (let i = 0; i < 2; i++) {
  console.log('raw', Math.round(await rawBatchedPerSecond(etcd.endpoint, 4000)));
  const t = Date.now();
  console.log('tessera', Math.round(await committedPerSecond(etcd.endpoint, 1000, 4000)), 'total incl setup', Date.now() - t);
}
await etcd.stop();
