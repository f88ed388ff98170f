/**
 * identity: the worker id and secret an agent got from Join, kept on disk so a restarted agent
 * comes back as the same worker.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const identitySchema = z.object({
  workerId: z.string(),
  workerSecret: z.string(),
  scheduler: z.string(),
  joinedAt: z.string(),
});

/** WorkerIdentity is what Join returned. */
export type WorkerIdentity = z.infer<typeof identitySchema>;

const FILE = 'identity.json';

/** loadIdentity returns the stored identity, or undefined when there is none. */
export async function loadIdentity(stateDir: string): Promise<WorkerIdentity | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = identitySchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${join(stateDir, FILE)} is not a Tessera identity; remove it to join again`);
  return parsed.data;
}

/** saveIdentity writes atomically (temp file + rename), readable by the owner only. */
export async function saveIdentity(stateDir: string, identity: WorkerIdentity): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const temp = join(stateDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(temp, JSON.stringify(identity, null, 2) + '\n', { mode: 0o600 });
  await rename(temp, join(stateDir, FILE));
}

/** identityPath is where the identity lives (for messages that tell an operator what to do). */
export function identityPath(stateDir: string): string {
  return join(stateDir, FILE);
}

/** TLS_IDENTITY_FILES: the pinned CA, the worker's key and its client certificate. */
const TLS_IDENTITY_FILES = { ca: 'ca.crt', key: 'client.key', cert: 'client.crt' } as const;

/** AgentTls is what the agent trusts and presents over TLS. */
export interface AgentTls {
  caPem: string;
  keyPem: string;
  certPem: string;
}

/** loadAgentTls returns the stored TLS identity; fields missing from disk are undefined. */
export async function loadAgentTls(stateDir: string): Promise<Partial<AgentTls>> {
  const read = (name: string): Promise<string | undefined> => readFile(join(stateDir, name), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
  const [caPem, keyPem, certPem] = await Promise.all([read(TLS_IDENTITY_FILES.ca), read(TLS_IDENTITY_FILES.key), read(TLS_IDENTITY_FILES.cert)]);
  return { ...(caPem && { caPem }), ...(keyPem && { keyPem }), ...(certPem && { certPem }) };
}

/** saveAgentTls writes whichever parts are given, atomically; the key readable by the owner only. */
export async function saveAgentTls(stateDir: string, tls: Partial<AgentTls>): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const write = async (name: string, text: string, mode: number): Promise<void> => {
    const temp = join(stateDir, `${name}.${process.pid}.tmp`);
    await writeFile(temp, text, { mode });
    await rename(temp, join(stateDir, name));
  };
  if (tls.caPem) await write(TLS_IDENTITY_FILES.ca, tls.caPem, 0o644);
  if (tls.keyPem) await write(TLS_IDENTITY_FILES.key, tls.keyPem, 0o600);
  if (tls.certPem) await write(TLS_IDENTITY_FILES.cert, tls.certPem, 0o644);
}
