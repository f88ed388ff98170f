/**
 * programs: finding the external programs Tessera runs (etcd, bubblewrap, setpriv).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * findProgram resolves a program as a shell would: a name with a slash is taken as a path, else
 * the first executable of that name on PATH, then in `extraDirs`; undefined when there is none.
 */
export function findProgram(name: string, options: { env?: NodeJS.ProcessEnv; extraDirs?: string[] } = {}): string | undefined {
  const dirs = [...(options.env ?? process.env).PATH?.split(delimiter) ?? [], ...(options.extraDirs ?? [])];
  const candidates = name.includes('/') ? [name] : dirs.filter(Boolean).map((dir) => join(dir, name));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
