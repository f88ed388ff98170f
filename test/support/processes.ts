/**
 * processes: start Tessera components as real OS processes (`bin/tessera.js …`) and read their
 * JSON log lines, so integration tests see what an operator sees.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.js';

export const TESSERA_BIN = join(REPO_ROOT, 'bin', 'tessera.js');

/** LogLine is one pino JSON line. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** TesseraProcess is a running component with its log lines. */
export interface TesseraProcess {
  child: ChildProcess;
  lines: LogLine[];
  output: string[];
  /** waitForLog resolves with the first line (past or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** stop sends SIGTERM, then SIGKILL after 5 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

const running = new Set<TesseraProcess>();

/** spawnTessera runs `tessera <args>` with JSON logs. */
export function spawnTessera(args: string[], env: NodeJS.ProcessEnv = {}): TesseraProcess {
  const child = spawn(process.execPath, [TESSERA_BIN, ...args], {
    env: { ...process.env, TESSERA_LOG_FORMAT: 'json', TESSERA_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const output: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (text: string): void => {
    output.push(text);
    if (output.length > 2000) output.shift();
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      return;
    }
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: TesseraProcess = {
    child,
    lines,
    output,
    exited,
    waitForLog(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = lines.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`log line not seen within ${timeoutMs} ms; last output:\n${output.slice(-20).join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async stop(signal = 'SIGTERM') {
      running.delete(proc);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  return proc;
}

/** stopAll stops every process a test started (afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/** runTessera runs a short command to completion and returns its exit code and output. */
export async function runTessera(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [TESSERA_BIN, ...args], { env: { ...process.env, TESSERA_LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

/** waitFor polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
