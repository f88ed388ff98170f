/**
 * global-setup: integration tests need a real etcd binary; scripts/test.sh installs Debian's
 * etcd-server when it is missing and the user is root. Here we only check and explain.
 */
import { findEtcdBinary } from '../../src/store/etcd-server.js';

export default function setup(): void {
  if (!findEtcdBinary()) {
    throw new Error('integration tests need etcd: run `npm test` as root (it installs etcd-server), or `sudo apt-get install -y etcd-server`');
  }
}
