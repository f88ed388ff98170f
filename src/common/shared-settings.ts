/**
 * shared-settings: settings more than one command takes — where the store is and how to reach it
 * (the scheduler, the gateway, and every command that opens the store), and plaintext serving.
 */
import { z } from 'zod';
import { DEFAULT_ROOT } from '../store/keys.js';
import { list, setting, text, toggle } from './settings.js';

/** STORE_SETTINGS: which etcd, and where in it the fleet's keys live. */
export const STORE_SETTINGS = {
  etcdEndpoints: setting(list(z.string().url('expected an etcd URL such as http://127.0.0.1:2379')), {
    flag: '--etcd',
    placeholder: '<urls>',
    env: 'TESSERA_ETCD',
    default: [],
    shown: 'none: an in-memory store, with a warning',
    help: 'etcd endpoints, comma-separated',
  }),
  etcdPrefix: setting(text(z.string().regex(/^\/.*\/$/, 'expected a key prefix that starts and ends with "/"')), {
    flag: '--etcd-prefix',
    placeholder: '<prefix>',
    env: 'TESSERA_ETCD_PREFIX',
    default: DEFAULT_ROOT,
    help: 'key prefix in etcd',
  }),
};

/** ETCD_SECURITY_SETTINGS: etcd's TLS, a client certificate and an RBAC user; the password never comes from argv. */
export const ETCD_SECURITY_SETTINGS = {
  etcdCa: setting(text(), { flag: '--etcd-ca', placeholder: '<file>', env: 'TESSERA_ETCD_CA', help: "CA certificate of etcd's TLS (`https://` endpoints)" }),
  etcdCert: setting(text(), { flag: '--etcd-cert', placeholder: '<file>', env: 'TESSERA_ETCD_CERT', help: 'client certificate for etcd (`--client-cert-auth`)' }),
  etcdKey: setting(text(), { flag: '--etcd-key', placeholder: '<file>', env: 'TESSERA_ETCD_KEY', help: "the client certificate's private key" }),
  etcdUser: setting(text(), { flag: '--etcd-user', placeholder: '<name>', env: 'TESSERA_ETCD_USER', help: 'etcd user (RBAC); the password from `TESSERA_ETCD_PASSWORD` or `--etcd-password-file`' }),
  etcdPasswordFile: setting(text(), { flag: '--etcd-password-file', placeholder: '<file>', env: 'TESSERA_ETCD_PASSWORD_FILE', help: "file holding the etcd user's password (mode 0600)" }),
};

/** SERVE_PLAINTEXT: a server without TLS, for a private network or behind a proxy that ends TLS. */
export const SERVE_PLAINTEXT = setting(toggle(), { flag: '--insecure', default: false, help: 'serve plaintext (a private network, or TLS ended by a proxy in front)' });
