/**
 * keys: Tessera's key layout in etcd (docs/store.md). Everything lives under one root, by default
 * /tessera/v1/, so an operator can read the topology with `etcdctl get --prefix /tessera/v1/`.
 */

/** DEFAULT_ROOT is the key prefix of a production fleet. */
export const DEFAULT_ROOT = '/tessera/v1/';

/** TopologyKeys builds every key the topology store reads or writes. */
export class TopologyKeys {
  constructor(readonly root: string = DEFAULT_ROOT) {
    if (!root.endsWith('/')) throw new Error(`store root must end with "/": ${root}`);
  }
  /** workers/<id>: the durable registration (JSON WorkerRecord). */
  get workersPrefix(): string {
    return `${this.root}workers/`;
  }
  worker(id: string): string {
    return this.workersPrefix + id;
  }
  /** live/<id>: present only while the worker's lease lives (JSON LiveRecord). */
  get livePrefix(): string {
    return `${this.root}live/`;
  }
  live(id: string): string {
    return this.livePrefix + id;
  }
  /** credentials/<id>: SHA-256 of the worker's secret. */
  credential(id: string): string {
    return `${this.root}credentials/${id}`;
  }
  /** pki/ca.crt: the fleet CA's certificate (PEM), published by schedulers that serve TLS. */
  get caCertificate(): string {
    return `${this.root}pki/ca.crt`;
  }
  /** join-tokens/<sha256>: uses left and expiry of a join token (the token itself is never stored). */
  joinToken(hash: string): string {
    return `${this.root}join-tokens/${hash}`;
  }
  /** parse names the kind and id of a topology key, or undefined for keys outside workers/ and live/. */
  parse(key: string): { kind: 'worker' | 'live'; id: string } | undefined {
    if (key.startsWith(this.workersPrefix)) return { kind: 'worker', id: key.slice(this.workersPrefix.length) };
    if (key.startsWith(this.livePrefix)) return { kind: 'live', id: key.slice(this.livePrefix.length) };
    return undefined;
  }
}
