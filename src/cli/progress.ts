/**
 * progress: follows a job's event stream and shows what happens — a progress bar and shard
 * counts on a terminal, one line per change otherwise — then the summary.
 */
import type * as grpc from '@grpc/grpc-js';
import type { GatewayServiceClient } from '../gen/tessera/v1/GatewayService.js';
import type { JobEvent } from '../gen/tessera/v1/JobEvent.js';
import { withApiKey } from './gateway-client.js';

/** FollowOptions: what to print besides the bar. */
export interface FollowOptions {
  apiKey: string | undefined;
  afterSequence?: number;
  shardCount: number;
  logs: boolean;
  out?: NodeJS.WriteStream;
  /** A bar redrawn in place; false prints one line per change (default: whether `out` is a terminal). */
  inPlace?: boolean;
  onEvent?: (event: JobEvent) => void;
}

/** JobOutcome is what the summary said. */
export interface JobOutcome {
  state: string;
  message: string;
  lastSequence: number;
  results: number;
}

/** followJob streams events until the job's summary; resolves with it. */
export function followJob(client: GatewayServiceClient, jobId: string, options: FollowOptions): Promise<JobOutcome> {
  const out = options.out ?? process.stdout;
  const tty = options.inPlace ?? out.isTTY === true;
  const shards = new Map<number, string>();
  let results = 0;
  let lastSequence = options.afterSequence ?? 0;
  let lastLine = '';
  const render = (): void => {
    const count = (s: string): number => [...shards.values()].filter((v) => v === s).length;
    const done = count('SHARD_STATE_SUCCEEDED');
    const failed = count('SHARD_STATE_FAILED') + count('SHARD_STATE_CANCELLED');
    const running = count('SHARD_STATE_RUNNING');
    const placed = count('SHARD_STATE_PLACED');
    const pending = options.shardCount - done - failed - running - placed;
    const width = 30;
    const filled = Math.round((width * (done + failed)) / Math.max(1, options.shardCount));
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done + failed}/${options.shardCount} done · ${running} running · ${placed} placed · ${Math.max(0, pending)} pending · ${failed} failed`;
    if (line === lastLine) return;
    lastLine = line;
    out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const print = (text: string): void => {
    out.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    if (tty) lastLine = '';
  };
  return new Promise((resolve, reject) => {
    const stream: grpc.ClientReadableStream<{ event: JobEvent | null }> = client.StreamJobEvents({ jobId, afterSequence: lastSequence }, withApiKey(options.apiKey));
    stream.on('data', ({ event }: { event: JobEvent | null }) => {
      if (!event) return;
      lastSequence = event.sequence;
      options.onEvent?.(event);
      switch (event.event) {
        case 'shardState':
          shards.set(event.shardState!.index, event.shardState!.state);
          if (/retrying|lost|gang/.test(event.shardState!.message)) print(`shard ${event.shardState!.index}: ${event.shardState!.message}`);
          break;
        case 'shardResult': {
          const r = event.shardResult!;
          shards.set(r.index, r.state);
          results++;
          if (r.state !== 'SHARD_STATE_SUCCEEDED') print(`shard ${r.index} ${r.state.replace('SHARD_STATE_', '').toLowerCase()}: ${r.error}`);
          break;
        }
        case 'jobState':
          if (event.jobState!.message.startsWith('gang')) print(event.jobState!.message);
          break;
        case 'log':
          if (options.logs) print(`[${event.log!.index}:${event.log!.stream}] ${event.log!.data.toString('utf8').replace(/\n$/, '')}`);
          break;
        case 'summary':
          render();
          print('');
          print(event.summary!.message);
          resolve({ state: event.summary!.state, message: event.summary!.message, lastSequence, results });
          return;
      }
      render();
    });
    stream.on('error', reject);
    stream.on('end', () => resolve({ state: 'UNKNOWN', message: 'stream ended before the summary', lastSequence, results }));
  });
}
