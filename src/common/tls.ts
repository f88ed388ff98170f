/**
 * tls: how Tessera's servers and clients use the control plane's certificates.
 *
 * A TLS directory (made by `tessera certs init`, or by `tessera dev`) holds
 *   ca.crt      the fleet's CA (public; clients trust it, agents pin it)
 *   ca.key      its key (schedulers only: they sign workers' client certificates)
 *   server.crt  the scheduler's and gateway's certificate (its SANs name their addresses)
 *   server.key  its key
 * Servers without one refuse to start unless told --insecure (plaintext, for a private network
 * or a TLS proxy in front).
 */
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { splitHostPort } from './net.js';
import { caPin, createCa, issueServerCert, type CertAndKey } from './pki.js';

/** TLS_FILES names the files of a TLS directory. */
export const TLS_FILES = { caCert: 'ca.crt', caKey: 'ca.key', serverCert: 'server.crt', serverKey: 'server.key' } as const;

/** ServerTls is what a server needs to serve TLS (and, for the scheduler, to sign client certificates). */
export interface ServerTls {
  dir: string;
  caPem: string;
  /** Absent on gateways: only schedulers sign. */
  caKeyPem?: string;
  serverCertPem: string;
  serverKeyPem: string;
}

/** loadServerTls reads a TLS directory; `needCaKey` for schedulers. */
export async function loadServerTls(dir: string, needCaKey: boolean): Promise<ServerTls> {
  const read = async (name: string, required: boolean): Promise<string | undefined> => {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (err) {
      if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`TLS directory ${dir}: cannot read ${name} (${(err as Error).message}); create one with \`tessera certs init --dir ${dir} --hosts <names>\``);
    }
  };
  const [caPem, caKeyPem, serverCertPem, serverKeyPem] = await Promise.all([read(TLS_FILES.caCert, true), read(TLS_FILES.caKey, needCaKey), read(TLS_FILES.serverCert, true), read(TLS_FILES.serverKey, true)]);
  return { dir, caPem: caPem!, ...(caKeyPem && { caKeyPem }), serverCertPem: serverCertPem!, serverKeyPem: serverKeyPem! };
}

/** initTlsDir makes a CA and a server certificate for `hosts` in `dir` (keys mode 0600). */
export async function initTlsDir(dir: string, hosts: string[], options: { caName?: string; days?: number } = {}): Promise<{ pin: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa(options.caName ?? 'Tessera fleet CA');
  const server = await issueServerCert(ca, hosts, options.days);
  await writeFile(join(dir, TLS_FILES.caCert), ca.certPem, { mode: 0o644 });
  await writeFile(join(dir, TLS_FILES.caKey), ca.keyPem, { mode: 0o600 });
  await writeFile(join(dir, TLS_FILES.serverCert), server.certPem, { mode: 0o644 });
  await writeFile(join(dir, TLS_FILES.serverKey), server.keyPem, { mode: 0o600 });
  return { pin: caPin(ca.certPem) };
}

/** caOf returns the CA as the signer of client certificates. */
export function caOf(tls: ServerTls): CertAndKey {
  if (!tls.caKeyPem) throw new Error(`TLS directory ${tls.dir} has no ${TLS_FILES.caKey}: a scheduler signs workers' certificates with it`);
  return { certPem: tls.caPem, keyPem: tls.caKeyPem };
}

/**
 * serverCredentials: TLS with the server certificate and the CA in its chain (agents pin the CA
 * from the chain at join). Client certificates are requested but not required: Join comes before
 * a worker has one, so the handlers that need one check it (createSsl would either not ask for
 * one or refuse every connection without one).
 */
export function serverCredentials(tls: ServerTls | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const ca = { caCertificate: Buffer.from(tls.caPem) };
  const identity = { certificate: Buffer.from(tls.serverCertPem + '\n' + tls.caPem), privateKey: Buffer.from(tls.serverKeyPem) };
  // Updates go out on the next turn: grpc-js registers its watcher only after adding the listener.
  const fixed: grpc.experimental.CertificateProvider = {
    addCaCertificateListener: (listener) => void setImmediate(() => listener(ca)),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (listener) => void setImmediate(() => listener(identity)),
    removeIdentityCertificateListener: () => undefined,
  };
  return grpc.experimental.createCertificateProviderServerCredentials(fixed, fixed, false);
}

/** clientCredentials trusts `caPem` (and presents a client certificate when given one); plaintext without a CA. */
export function clientCredentials(caPem: string | undefined, client?: { keyPem: string; certPem: string }): grpc.ChannelCredentials {
  if (caPem === undefined) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(Buffer.from(caPem), client ? Buffer.from(client.keyPem) : null, client ? Buffer.from(client.certPem) : null);
}

/**
 * discoverPinnedCa connects to a server without trusting it yet, and returns the CA from its
 * certificate chain whose public key matches `pin`, after checking that the server's own
 * certificate was issued by that CA. This is how an agent with only a join token learns whom to
 * trust (kubeadm's discovery): anyone can answer on the address, no one else has the key.
 */
export function discoverPinnedCa(address: string, pin: string, timeoutMs = 10_000): Promise<string> {
  const { host, port } = splitHostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TLS answer from ${address} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach ${address} over TLS: ${err.message}`));
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      try {
        const chain: X509Certificate[] = [];
        let peer = socket.getPeerCertificate(true);
        const seen = new Set<string>();
        while (peer?.raw && !seen.has(peer.fingerprint256)) {
          seen.add(peer.fingerprint256);
          chain.push(new X509Certificate(peer.raw));
          peer = peer.issuerCertificate;
        }
        socket.end();
        const leaf = chain[0];
        if (!leaf) throw new Error(`${address} presented no certificate`);
        const ca = chain.find((c) => c.ca && caPin(c.toString()) === pin);
        if (!ca) throw new Error(`${address} presented no CA with the join token's hash ${pin}: this is not the fleet the token is for (or a machine in between)`);
        if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) throw new Error(`${address}'s certificate was not issued by the pinned CA`);
        resolve(ca.toString());
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}
