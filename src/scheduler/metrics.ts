/**
 * metrics: what the scheduler exports beside the fleet gauges.
 */
import { Mirror } from '../store/mirror.js';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** SchedulerMetrics are updated by the agent service. */
export interface SchedulerMetrics {
  agentStreams: Gauge;
  heartbeatLag: Histogram;
  joins: Counter<'outcome'>;
  connects: Counter<'outcome'>;
  storeWrites: Counter<'kind'>;
  dispatchLatency: Histogram;
  placements: Counter<'outcome'>;
  shardResults: Counter<'state'>;
  challenges: Counter<'outcome'>;
  verifySeconds: Histogram;
  roundTripSeconds: Histogram;
  tenantGpuSeconds: Counter<'tenant'>;
  tenantCpuSeconds: Counter<'tenant'>;
  outputBytes: Counter<'outcome'>;
  outputFloods: Counter;
  passSeconds: Histogram;
  storeResyncs: Counter;
}

/** createSchedulerMetrics registers the scheduler's own series. */
export function createSchedulerMetrics(registry: Registry, streamCount: () => number): SchedulerMetrics {
  return {
    agentStreams: new Gauge({
      name: 'tessera_scheduler_agent_streams',
      help: 'Agent Connect streams open on this scheduler replica.',
      registers: [registry],
      collect() {
        this.set(streamCount());
      },
    }),
    heartbeatLag: new Histogram({
      name: 'tessera_scheduler_heartbeat_lag_seconds',
      help: 'Time between consecutive heartbeats of one agent, as the scheduler receives them.',
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 30],
      registers: [registry],
    }),
    joins: new Counter({
      name: 'tessera_scheduler_joins_total',
      help: 'Join calls by outcome (joined, invalid_token, invalid_argument).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    connects: new Counter({
      name: 'tessera_scheduler_connects_total',
      help: 'Connect streams by outcome (accepted, unauthenticated, permission_denied, invalid_argument, replaced).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    storeWrites: new Counter({
      name: 'tessera_scheduler_store_writes_total',
      help: 'Writes the scheduler made to the topology store, by kind (heartbeats renew leases and write nothing).',
      labelNames: ['kind'],
      registers: [registry],
    }),
    dispatchLatency: new Histogram({
      name: 'tessera_scheduler_dispatch_latency_seconds',
      help: 'From a shard placed (committed) to its process running on the agent.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    placements: new Counter({
      name: 'tessera_scheduler_placements_total',
      help: 'Shard placement outcomes (placed, conflict, unplaceable, quota).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    shardResults: new Counter({
      name: 'tessera_scheduler_shard_results_total',
      help: 'Final shard results by state (succeeded, failed, cancelled).',
      labelNames: ['state'],
      registers: [registry],
    }),
    challenges: new Counter({
      name: 'tessera_scheduler_challenges_total',
      help: 'Compute challenges by outcome (passed, or the flag they raised).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    verifySeconds: new Histogram({
      name: 'tessera_scheduler_challenge_verify_seconds',
      help: "Scheduler time to check a challenge answer (row hashes and Freivalds' rounds).",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    roundTripSeconds: new Histogram({
      name: 'tessera_scheduler_challenge_round_trip_seconds',
      help: 'From a challenge sent to the agent’s commitment received (what the time limit is checked against).',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    tenantGpuSeconds: new Counter({
      name: 'tessera_tenant_gpu_seconds_total',
      help: "GPU count × seconds of the tenant's ended attempts, metered by this replica from the start and end it recorded (etcd usage/ keys hold the durable sum).",
      labelNames: ['tenant'],
      registers: [registry],
    }),
    tenantCpuSeconds: new Counter({
      name: 'tessera_tenant_cpu_seconds_total',
      help: "CPU cores × seconds of the tenant's ended attempts, metered by this replica from the start and end it recorded (etcd usage/ keys hold the durable sum).",
      labelNames: ['tenant'],
      registers: [registry],
    }),
    outputBytes: new Counter({
      name: 'tessera_scheduler_output_bytes_total',
      help: 'Shard output bytes received from agents, by outcome: stored, or dropped_attempt_cap, dropped_job_cap, dropped_rate, dropped_stray (for an attempt not expected from that worker).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    outputFloods: new Counter({
      name: 'tessera_scheduler_output_floods_total',
      help: 'Agents cut off for sending output past the cap they were told (each also flags its worker output-flood).',
      registers: [registry],
    }),
    passSeconds: new Histogram({
      name: 'tessera_scheduler_pass_seconds',
      help: 'One scheduling pass: lost workers, the jobs that changed, and placement when supply, demand or quotas moved.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    storeResyncs: new Counter({
      name: 'tessera_store_resyncs_total',
      help: 'Re-reads of a mirrored prefix after etcd cancelled its watch (its revision was compacted while this process was cut off).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(Mirror.resyncsTotal);
      },
    }),
  };
}
