/**
 * The tessera command as users type it: the quick start (`tessera dev`), `tessera hardware`,
 * and setting errors that name the setting.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeNvidiaSmi } from '../support/fake-nvidia-smi.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { runTessera } from '../support/processes.js';

const PORTS = ['--scheduler-listen', '127.0.0.1:0', '--gateway-listen', '127.0.0.1:0', '--scheduler-metrics-listen', '127.0.0.1:0', '--gateway-metrics-listen', '127.0.0.1:0'];

describe('tessera dev (the quick start)', () => {
  it.each(['memory', 'etcd'])('brings up a fleet on the %s store, shows it through the gateway, and exits cleanly', async (store) => {
    const result = await runTessera(['dev', '--agents', '2', '--store', store, '--exit-after-demo', ...PORTS]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Demo: the fleet, as GatewayService.ListWorkers reports it');
    const rows = result.stdout.split('\n').filter((l) => /^w-[0-9a-f]{16}\s/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/dev-agent-\d\s+cpu: \d+ cores\s+dev\s+yes\s+\d+s ago\s+(unverified|verified)\s+yes$/);
    expect(result.stdout).toContain(`Tessera dev fleet is up (${store} store`);
    expect(result.stdout).toMatch(/sandbox\s+on: each shard its own uid/);
    // The demo job ran through the gateway on the two agents and got the right answer.
    expect(result.stdout).toMatch(/Demo job j-[0-9a-f]{16}: count the primes below 3,000,000 in 12 shards/);
    expect(result.stdout).toContain('succeeded: 12 succeeded, 0 failed, 0 cancelled');
    expect(result.stdout).toMatch(/primes below 3,000,000: 216816 \(shards per worker: w-[0-9a-f]{16} \d+, w-[0-9a-f]{16} \d+\)/);
    expect(result.stdout).toMatch(/api key\s+export TESSERA_API_KEY=tsk_/);
    expect(result.stdout).toMatch(/metrics\s+http:\/\/127\.0\.0\.1:\d+\/metrics\s+http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });
});

describe('tessera dev on a terminal', () => {
  // script(1) gives the command a pseudo-terminal, as a person's shell would.
  function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; screen: string } {
    const command = ['node', 'bin/tessera.js', ...args].join(' ');
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TESSERA_LOG_')));
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 110_000, env: { ...inherited, ...env } });
    return { code: run.status, screen: run.stdout };
  }

  it('keeps log lines off the screen: progress and tables only, logs in a file whose path it prints', () => {
    const { code, screen } = onTerminal(['dev', '--agents', '2', '--store', 'memory', '--exit-after-demo', ...PORTS]);
    expect(code, screen).toBe(0);
    const lines = screen.split(/\r?\n/);
    expect(lines.filter((l) => l.includes('"level"') || /\b(INFO|WARN)\b.*\(/.test(l))).toEqual([]);
    expect(screen).toContain('agents      2/2 online');
    expect(screen).toMatch(/\r\x1b\[2K\[#{30}\] 12\/12 done/);
    expect(screen).toContain('primes below 3,000,000: 216816');
    const logFile = /logs go to (\S+\.log)/.exec(screen)?.[1];
    expect(logFile).toBeDefined();
    const entries = readFileSync(logFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { component: string; msg: string });
    rmSync(logFile!);
    const components = new Set(entries.map((e) => e.component));
    for (const c of ['dev', 'scheduler', 'gateway', 'agent']) expect(components).toContain(c);
  });

  it('puts JSON log lines on the terminal with --log-format json, and the bar prints a line per change', () => {
    const { code, screen } = onTerminal(['dev', '--agents', '1', '--store', 'memory', '--exit-after-demo', '--log-format', 'json', ...PORTS]);
    expect(code, screen).toBe(0);
    const json = screen.split(/\r?\n/).filter((l) => l.startsWith('{'));
    expect(json.length).toBeGreaterThan(5);
    for (const line of json) expect(JSON.parse(line)).toHaveProperty('component');
    expect(screen).not.toContain('\x1b[2K');
    expect(screen).toMatch(/^\[#{30}\] 12\/12 done/m);
  });
});

describe('tessera hardware', () => {
  it('reports this machine\'s CPU when no GPU tool is present', async () => {
    const result = await runTessera(['hardware', '--json'], { PATH: `${process.env.PATH}`, TESSERA_NVIDIA_SMI: '/nonexistent/nvidia-smi' });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { gpus: unknown[]; cpu: { cores: number }; discoverySource: string };
    expect(report.gpus).toEqual([]);
    expect(report.cpu.cores).toBeGreaterThan(0);
    expect(report.discoverySource).toBe('none');
  });

  it('reads the GPU that nvidia-smi on PATH reports (a stand-in printing the real H200 output)', async () => {
    const dir = await fakeNvidiaSmi('nvidia-smi/h200/nvidia-smi-q.xml', 'nvidia-smi/h200/nvidia-smi-query.csv');
    const result = await runTessera(['hardware'], { PATH: `${dir}${delimiter}${process.env.PATH}` });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/NVIDIA H200\s+143771 MiB\s+GPU-930ea816-c446-2969-4661-c22fcd35a1d9\s+1654124008041\s+00000000:00:06\.0\s+pass-through\s+9\.0\s+disabled/);
    expect(result.stdout).toContain('driver:   580.159.04 (CUDA 13.0)');
    // VRAM is the worker's claim: no challenge proves it, and the output says so.
    expect(result.stdout).toContain('VRAM (CLAIMED)');
  });
});

describe('settings', () => {
  it('stops with a message naming the setting and exit code 2', async () => {
    const result = await runTessera(['scheduler', '--lease-ttl', 'forever']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('tessera: invalid setting --lease-ttl / TESSERA_LEASE_TTL: expected a duration such as 500ms, 10s, 5m, 1h or 7d');
  });

  it('tells an agent without identity or token what to do', async () => {
    const result = await runTessera(['agent', '--scheduler', '127.0.0.1:1', '--state-dir', '/tmp/tessera-no-such-identity', '--metrics-listen', '127.0.0.1:0']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('no worker identity in /tmp/tessera-no-such-identity and no join token: pass --join-token');
  });
});
