/**
 * env: the environment Tessera gives each shard — torchrun's contract for gang ranks, shard
 * index and inputs for independent shards, and the GPUs it was given.
 */
import { shardInputs, type JobRecord, type ShardRecord } from '../../common/job.js';

/** GangLayout says where every rank of a gang runs, to derive LOCAL_RANK and MASTER_ADDR. */
export interface GangLayout {
  workers: string[];
  masterAddress: string;
  masterPort: number;
}

/** shardEnv builds the variables for one shard attempt. */
export function shardEnv(job: JobRecord, shard: ShardRecord, gang?: GangLayout): Record<string, string> {
  const env: Record<string, string> = {
    TESSERA_JOB_ID: job.id,
    TESSERA_JOB_NAME: job.spec.name,
    TESSERA_SHARD_INDEX: String(shard.index),
    TESSERA_SHARD_COUNT: String(job.shardCount),
    TESSERA_ATTEMPT: String(shard.attempt),
    // Only the GPUs this shard was given are visible; a CPU shard sees none.
    CUDA_VISIBLE_DEVICES: (shard.gpuIndices ?? []).join(','),
  };
  if (job.spec.partition.kind === 'independent' && job.spec.partition.inputs.length > 0) {
    env.TESSERA_SHARD_INPUTS = JSON.stringify(shardInputs(job.spec.partition.inputs, job.shardCount, shard.index));
  }
  if (gang) {
    const worker = gang.workers[shard.index]!;
    const local = gang.workers.map((w, rank) => [w, rank] as const).filter(([w]) => w === worker);
    env.RANK = String(shard.index);
    env.WORLD_SIZE = String(job.shardCount);
    env.LOCAL_RANK = String(local.findIndex(([, rank]) => rank === shard.index));
    env.LOCAL_WORLD_SIZE = String(local.length);
    env.MASTER_ADDR = gang.masterAddress;
    env.MASTER_PORT = String(gang.masterPort);
  }
  return env;
}
