/**
 * etcd-security: how Tessera's processes authenticate to a production etcd — TLS with the
 * cluster's CA (and a client certificate where etcd asks for one), and/or etcd's own users.
 */
import { readFileSync } from 'node:fs';
import type { IOptions } from 'etcd3';

/** EtcdSecurity names the files and user an etcd client uses; all optional (plain http otherwise). */
export interface EtcdSecurity {
  /** CA certificate etcd's server certificate chains to (https:// endpoints). */
  caFile?: string;
  /** Client certificate and key, where etcd runs with --client-cert-auth. */
  certFile?: string;
  keyFile?: string;
  /** An etcd user (etcd's RBAC); its password from TESSERA_ETCD_PASSWORD or --etcd-password-file. */
  username?: string;
  password?: string;
}

const read = (path: string, what: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${what} ${path}: ${(err as Error).message}`);
  }
};

/** etcdClientOptions builds etcd3's options for `endpoints` with `security`. */
export function etcdClientOptions(endpoints: string[], security: EtcdSecurity = {}, extra: Partial<IOptions> = {}): IOptions {
  if ((security.certFile === undefined) !== (security.keyFile === undefined)) throw new Error('--etcd-cert and --etcd-key go together');
  if (security.username !== undefined && security.password === undefined) throw new Error('--etcd-user needs a password: set TESSERA_ETCD_PASSWORD or pass --etcd-password-file');
  const tls = security.caFile ?? security.certFile;
  return {
    hosts: endpoints,
    ...extra,
    ...(tls && {
      credentials: {
        rootCertificate: security.caFile ? read(security.caFile, '--etcd-ca') : (undefined as unknown as Buffer),
        ...(security.certFile && { certChain: read(security.certFile, '--etcd-cert'), privateKey: read(security.keyFile!, '--etcd-key') }),
      },
    }),
    ...(security.username !== undefined && { auth: { username: security.username, password: security.password! } }),
  };
}
