/**
 * Job commands: `tessera submit`, `jobs`, `logs`, `cancel` and `explain` (tenants: tenants.ts).
 * They talk to the gateway with a tenant API key (--api-key / TESSERA_API_KEY).
 */
import { Command, Option } from 'commander';
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import type { GatewayServiceClient } from '../../gen/tessera/v1/GatewayService.js';
import { failAndExit } from '../lifecycle.js';
import { addSecretFileOption, toInt } from '../options.js';
import { table, ago, printable } from '../format.js';

/** ClientFlags are the flags clientOptions adds. */
export interface ClientFlags {
  gateway: string;
  apiKey?: string;
  tlsCa?: string;
}

/** clientOptions adds --gateway and --api-key, and --api-key-file (the key kept out of argv and the environment). */
export function clientOptions(command: Command): Command {
  return addSecretFileOption(command
    .addOption(new Option('--gateway <host:port>', 'gateway address').env('TESSERA_GATEWAY').default('127.0.0.1:7080'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate the gateway\'s TLS certificate must chain to (plaintext without one)').env('TESSERA_TLS_CA'))
    .addOption(new Option('--api-key <key>', 'tenant API key (from `tessera tenants create`)').env('TESSERA_API_KEY')),
  { key: 'apiKey', flag: '--api-key' },
  { flag: '--api-key-file', env: 'TESSERA_API_KEY_FILE', help: 'read the API key from this file (first line) instead of --api-key' });
}

/** withClient runs `work` against the gateway and turns gRPC errors into one readable line. */
export async function withClient(flags: ClientFlags, work: (client: GatewayServiceClient) => Promise<void>): Promise<void> {
  const { connectGateway } = await import('../gateway-client.js');
  const client = connectGateway(flags.gateway, flags.tlsCa);
  try {
    await work(client);
  } catch (err) {
    const e = err as ServiceError;
    const hint = e.code === Status.UNAVAILABLE && !flags.tlsCa ? ' (if the gateway serves TLS, pass --tls-ca <ca.crt> or set TESSERA_TLS_CA)' : '';
    process.stderr.write(`tessera: ${e.details ?? e.message}${hint}\n`);
    process.exitCode = 1;
  } finally {
    client.close();
  }
}

const shortState = (s: string): string => s.replace(/^(JOB|SHARD)_STATE_/, '').toLowerCase();

/** RESULTS_SHOWN: results printed after `submit`; a bigger job's are one `tessera jobs --json` away. */
const RESULTS_SHOWN = 16;
/** RESULT_CHARS: a result is one line on a terminal; the whole value is in GetJob. */
const RESULT_CHARS = 160;

/** resultLines prints what each shard returned (TESSERA_RESULT_PATH), one line per shard. */
export function resultLines(shards: ReadonlyArray<{ index: number; state: string; workerId: string; resultJson: string }>): string {
  const withResult = shards.filter((s) => s.resultJson).sort((a, b) => a.index - b.index);
  if (withResult.length === 0) return '';
  const lines = withResult.slice(0, RESULTS_SHOWN).map((s) => {
    const value = s.resultJson.length > RESULT_CHARS ? `${s.resultJson.slice(0, RESULT_CHARS - 1)}…` : s.resultJson;
    return `  shard ${s.index}  ${shortState(s.state)}  ${s.workerId}  ${value}`;
  });
  if (withResult.length > RESULTS_SHOWN) lines.push(`  … ${withResult.length - RESULTS_SHOWN} more: tessera jobs --json`);
  return `results:\n${lines.join('\n')}\n`;
}

export function jobCommands(): Command[] {
  const submit = clientOptions(new Command('submit'))
    .description('Submit a job from a YAML file and follow it to the end')
    .argument('<job.yaml>', 'job file (see docs/jobs.md)')
    .option('--detach', 'print the job id and return without following')
    .option('--logs', 'print shard output while following')
    .action(async (file: string, flags: ClientFlags & { detach?: boolean; logs?: boolean }) => {
      const { readJobFile } = await import('../job-file.js');
      const { jobCalls } = await import('../gateway-client.js');
      const { followJob } = await import('../progress.js');
      const spec = await readJobFile(file).catch((err: unknown) => failAndExit(err));
      await withClient(flags, async (client) => {
        const { jobId, shardCount } = await jobCalls(client, flags.apiKey).submit(spec);
        process.stdout.write(`submitted ${jobId} (${shardCount} shards)\n`);
        if (flags.detach) return;
        const outcome = await followJob(client, jobId, { apiKey: flags.apiKey, shardCount, logs: flags.logs ?? false });
        const { job } = await jobCalls(client, flags.apiKey).get(jobId);
        process.stdout.write(resultLines(job?.shards ?? []));
        if (outcome.state !== 'JOB_STATE_SUCCEEDED') process.exitCode = 1;
      });
    });

  const jobs = clientOptions(new Command('jobs'))
    .description('List your jobs')
    .option('--json', 'print JSON')
    .action(async (flags: ClientFlags & { json?: boolean }) => {
      const { jobCalls } = await import('../gateway-client.js');
      await withClient(flags, async (client) => {
        const { jobs: list } = await jobCalls(client, flags.apiKey).list();
        if (flags.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        process.stdout.write(
          table(
            ['ID', 'NAME', 'STATE', 'SHARDS', 'DONE', 'RUNNING', 'FAILED', 'CREATED'],
            list.map((j) => {
              const c = j.counts!;
              const total = c.pending + c.placed + c.running + c.succeeded + c.failed + c.cancelled;
              return [j.id, j.spec?.name ?? '', shortState(j.state), String(total), String(c.succeeded), String(c.running), String(c.failed + c.cancelled), ago(j.createdTime)];
            }),
          ),
        );
      });
    });

  const logs = clientOptions(new Command('logs'))
    .description("Print a job's output (and, with --follow, keep printing until it ends)")
    .argument('<job-id>')
    .option('-f, --follow', 'keep streaming until the job ends')
    .option('--shard <n>', 'only this shard', toInt)
    .action(async (jobId: string, flags: ClientFlags & { follow?: boolean; shard?: number }) => {
      const { withApiKey } = await import('../gateway-client.js');
      await withClient(flags, (client) => new Promise<void>((resolve, reject) => {
        const stream = client.StreamJobEvents({ jobId, afterSequence: 0 }, withApiKey(flags.apiKey));
        const idle = flags.follow ? undefined : setTimeout(() => stream.cancel(), 1_500);
        stream.on('data', ({ event }: { event: { event?: string; log?: { index: number; stream: string; data: Buffer; note: string }; summary?: { message: string } } | null }) => {
          if (event?.event === 'log' && (flags.shard === undefined || event.log!.index === flags.shard)) {
            (event.log!.stream === 'stderr' ? process.stderr : process.stdout).write(event.log!.data);
            // Where Tessera cut or dropped output, it says so (on stderr, apart from the shard's own output).
            if (event.log!.note) process.stderr.write(`\n-- shard ${event.log!.index}: ${printable(event.log!.note)}\n`);
          }
          if (event?.event === 'summary') process.stderr.write(`-- ${event.summary!.message}\n`);
        });
        stream.on('end', () => (clearTimeout(idle), resolve()));
        stream.on('error', (err: ServiceError) => (clearTimeout(idle), err.code === (1 as typeof err.code) ? resolve() : reject(err)));
      }));
    });

  const cancel = clientOptions(new Command('cancel'))
    .description('Cancel a job: every shard process gets SIGTERM, then SIGKILL')
    .argument('<job-id>')
    .action(async (jobId: string, flags: ClientFlags) => {
      const { jobCalls } = await import('../gateway-client.js');
      await withClient(flags, async (client) => {
        const { job } = await jobCalls(client, flags.apiKey).cancel(jobId);
        process.stdout.write(`${job!.id}: cancel requested (state ${shortState(job!.state)})\n`);
      });
    });

  const explain = clientOptions(new Command('explain'))
    .description('Explain where a job\'s shards were placed, or why they were not')
    .argument('<job-id>')
    .option('--json', 'print JSON')
    .action(async (jobId: string, flags: ClientFlags & { json?: boolean }) => {
      const { jobCalls } = await import('../gateway-client.js');
      await withClient(flags, async (client) => {
        const response = await jobCalls(client, flags.apiKey).explain(jobId);
        if (flags.json) return void process.stdout.write(JSON.stringify(response, null, 2) + '\n');
        process.stdout.write(`${response.summary}\n`);
        for (const d of response.decisions) {
          process.stdout.write(`\nshard ${d.shardIndex} (attempt ${d.attempt}): ${d.summary}\n`);
          const rows = d.candidates.map((c) => [c.workerId, c.rejectedBy || 'feasible', c.scores.map((s) => `${s.scorer}=${s.score.toFixed(0)}`).join(' '), c.rejectedBy ? '' : c.total.toFixed(1), c.selected ? '←' : '']);
          if (rows.length) process.stdout.write(table(['WORKER', 'FILTER', 'SCORES', 'TOTAL', ''], rows).replace(/^/gm, '  '));
        }
      });
    });

  return [submit, jobs, logs, cancel, explain];
}
