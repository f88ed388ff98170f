/**
 * options: flag definitions shared by several commands, so --etcd means the same everywhere.
 */
import { Option, type Command } from 'commander';

/** splitList turns "a,b" into ["a","b"]. */
export function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** addStoreOptions adds --etcd and --etcd-prefix. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--etcd <urls>', 'etcd endpoints, comma-separated (default: none, in-memory store)').env('TESSERA_ETCD'))
    .addOption(new Option('--etcd-prefix <prefix>', 'key prefix in etcd (default: /tessera/v1/)').env('TESSERA_ETCD_PREFIX'));
}

/** toInt reads an integer flag; commander passes strings, zod then checks the range. */
export function toInt(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}
