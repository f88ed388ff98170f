/**
 * process-group: a shard's processes live in one process group (the leader's pid), so cancel
 * and timeout reach every child it started, and peak memory covers them all.
 */
import { readdir, readFile } from 'node:fs/promises';

/** signalGroup sends a signal to every process of the group; false when none is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** groupRssKib sums the resident memory of every process in the group (Linux /proc; 0 elsewhere). */
export async function groupRssKib(pgid: number): Promise<number> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  let total = 0;
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command (which may hold spaces) start after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) !== pgid) return;
        const status = await readFile(`/proc/${pid}/status`, 'utf8');
        total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      } catch {
        // The process exited between listing and reading.
      }
    }),
  );
  return total;
}

/** peakRssKib reads a process's own high-water mark (VmHWM): one cheap read, and it keeps the peak between samples. */
export async function peakRssKib(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** groupAlive says whether any process of the group still exists. */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0 as unknown as NodeJS.Signals);
}
