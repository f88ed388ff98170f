/**
 * pki: the control plane's certificates. One CA (ECDSA P-256) signs the scheduler's and gateway's
 * server certificates and every worker's client certificate (its worker id as the subject).
 * Certificates are built by @peculiar/x509 on Node's WebCrypto, and read back with Node's own
 * X509Certificate; nothing here writes ASN.1 by hand.
 *
 * A CA is pinned the way kubeadm pins one (--discovery-token-ca-cert-hash): the SHA-256 of its
 * DER SubjectPublicKeyInfo, written "sha256:<hex>".
 */
import type * as X509 from '@peculiar/x509';
import { createHash, randomBytes, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { isIP } from 'node:net';

let library: Promise<typeof X509> | undefined;

/**
 * lib loads @peculiar/x509 (and the reflect polyfill it needs) on first use: only making
 * certificates needs it, and it costs every CLI command that merely reads one ~0.4 s to load.
 */
function lib(): Promise<typeof X509> {
  library ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  })();
  return library;
}

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** CertAndKey is a PEM certificate and its PKCS#8 PEM private key. */
export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const x509 = await lib();
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const x509 = await lib();
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decode(pem)[0]!, ALGORITHM, false, ['sign']);
}

const serial = (): string => {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // a positive INTEGER
  return bytes.toString('hex');
};

/** createCa makes a self-signed CA, valid for `days`. */
export async function createCa(commonName: string, days = 3650): Promise<CertAndKey> {
  const x509 = await lib();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + days * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

async function issue(ca: CertAndKey, subject: string, publicKey: CryptoKey | X509.PublicKey, days: number, extensions: X509.Extension[]): Promise<string> {
  const x509 = await lib();
  const caCert = new x509.X509Certificate(ca.certPem);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(Math.min(now + days * DAY_MS, caCert.notAfter.getTime())),
    publicKey,
    signingKey: await importKey(ca.keyPem),
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...extensions,
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return cert.toString('pem');
}

/** issueServerCert makes a server certificate for the given host names and IP addresses. */
export async function issueServerCert(ca: CertAndKey, hosts: string[], days = 825): Promise<CertAndKey> {
  const x509 = await lib();
  if (hosts.length === 0) throw new Error('expected at least one host name or address for the server certificate');
  const keys = await newKeys();
  const names = hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
  const certPem = await issue(ca, `CN=${hosts[0]}`, keys.publicKey, days, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(names),
  ]);
  return { certPem, keyPem: await keyPem(keys.privateKey) };
}

/** createCsr makes a key pair and a certificate request for it (the agent's side of Join). */
export async function createCsr(commonName: string): Promise<{ csrPem: string; keyPem: string }> {
  const x509 = await lib();
  const keys = await newKeys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${commonName}`, keys, signingAlgorithm: ALGORITHM });
  return { csrPem: csr.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** MAX_CSR_CHARS bounds what an agent may send as its request. */
export const MAX_CSR_CHARS = 4096;

/**
 * issueClientCert signs a worker's certificate request after checking it is well formed and
 * signed by the key it carries (proof of possession). The subject is the worker id the
 * scheduler assigned, whatever the request asked for.
 */
export async function issueClientCert(ca: CertAndKey, csrPem: string, workerId: string, days: number): Promise<string> {
  const x509 = await lib();
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new Error(`not a PEM certificate request (${(err as Error).message})`);
  }
  if (!(await csr.verify())) throw new Error('the certificate request is not signed by the key it carries');
  return issue(ca, `CN=${workerId}`, csr.publicKey, days, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
}

/** caPin is "sha256:" and the hex SHA-256 of the certificate's DER SubjectPublicKeyInfo. */
export function caPin(certPem: string | Buffer): string {
  const spki = new NodeX509(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** PIN_PATTERN is what a CA pin looks like. */
export const PIN_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** CertFacts is what the scheduler checks of a presented client certificate. */
export interface CertFacts {
  subjectCn: string;
  notAfterMs: number;
}

/**
 * verifyClientCert checks a peer certificate (DER) against the CA: signed by it, within its
 * validity, for client authentication. Returns its subject's common name.
 */
export function verifyClientCert(der: Buffer, caPem: string, nowMs = Date.now()): CertFacts {
  const cert = new NodeX509(der);
  const ca = new NodeX509(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new Error('the client certificate was not issued by this fleet\'s CA');
  const notBefore = Date.parse(cert.validFrom);
  const notAfter = Date.parse(cert.validTo);
  if (nowMs < notBefore || nowMs > notAfter) throw new Error(`the client certificate is not valid now (valid ${cert.validFrom} to ${cert.validTo})`);
  if (cert.keyUsage && !cert.keyUsage.includes('1.3.6.1.5.5.7.3.2')) throw new Error('the certificate is not for client authentication');
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
  return { subjectCn: cn, notAfterMs: notAfter };
}

/** certValidity reads a PEM certificate's validity window. */
export function certValidity(certPem: string): { notBeforeMs: number; notAfterMs: number } {
  const cert = new NodeX509(certPem);
  return { notBeforeMs: Date.parse(cert.validFrom), notAfterMs: Date.parse(cert.validTo) };
}
