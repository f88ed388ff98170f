/**
 * An etcd with authentication on (etcd's RBAC): the admin commands reach it as a named user whose
 * password comes from a file or TESSERA_ETCD_PASSWORD (never argv), and fail clearly without it.
 */
import { Etcd3 } from 'etcd3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { runTessera } from '../support/processes.js';

let etcd: EtcdServer;
let dir: string;
beforeAll(async () => {
  etcd = await startEtcd();
  dir = await mkdtemp(join(tmpdir(), 'tessera-etcd-auth-'));
  const admin = new Etcd3({ hosts: etcd.endpoint });
  await admin.role('root').create();
  await admin.user('root').create('s3cret-pw');
  await admin.user('root').addRole('root');
  await admin.auth.authEnable({});
  admin.close();
});
afterAll(async () => {
  await etcd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('creates a join token as an etcd user, the password from a file or the environment', async () => {
  const passwordFile = join(dir, 'etcd-password');
  await writeFile(passwordFile, 's3cret-pw\n', { mode: 0o600 });
  const fromFile = await runTessera(['join-token', 'create', '--etcd', etcd.endpoint, '--etcd-user', 'root', '--etcd-password-file', passwordFile]);
  expect(fromFile.code, fromFile.stderr).toBe(0);
  expect(fromFile.stdout).toMatch(/^tsj_/);
  const fromEnv = await runTessera(['join-token', 'list', '--etcd', etcd.endpoint, '--etcd-user', 'root'], { TESSERA_ETCD_PASSWORD: 's3cret-pw' });
  expect(fromEnv.code, fromEnv.stderr).toBe(0);
  const noPassword = await runTessera(['join-token', 'create', '--etcd', etcd.endpoint, '--etcd-user', 'root'], { TESSERA_ETCD_PASSWORD: '' });
  expect(noPassword.code).not.toBe(0);
  const wrong = await runTessera(['join-token', 'create', '--etcd', etcd.endpoint, '--etcd-user', 'root'], { TESSERA_ETCD_PASSWORD: 'guess' });
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr + wrong.stdout).toMatch(/authentication failed/i);
  const anonymous = await runTessera(['join-token', 'create', '--etcd', etcd.endpoint]);
  expect(anonymous.code).not.toBe(0);
  // A password file others can read is refused, as ssh refuses such a key.
  const readable = join(dir, 'etcd-password-readable');
  await writeFile(readable, 's3cret-pw\n', { mode: 0o644 });
  const refused = await runTessera(['join-token', 'create', '--etcd', etcd.endpoint, '--etcd-user', 'root', '--etcd-password-file', readable]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr + refused.stdout).toContain(`chmod 600`);
});
