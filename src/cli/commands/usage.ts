/**
 * `tessera usage`: a tenant's metered GPU-seconds and CPU-seconds, day by day, with the window
 * always named. Tenants ask the gateway (GetUsage, with their API key); operators read any
 * tenant's from the fleet store (--tenant with --etcd). Both print the same report.
 */
import { Command, Option } from 'commander';
import { ConfigError } from '../../common/errors.js';
import { parseDurationMs } from '../../common/config.js';
import { quotaText } from '../../common/quota.js';
import { addDays, DAY_MS, dayOf, isDay, MAX_WINDOW_DAYS, type UsageReport } from '../../common/usage.js';
import { usageFromWire } from '../../wire/gateway.js';
import { failAndExit } from '../lifecycle.js';
import { addStoreOptions } from '../options.js';
import { table } from '../format.js';
import { clientOptions, withClient, type ClientFlags } from './jobs.js';
import { withTenantStore } from './tenants.js';

/** sinceFromFlag reads --since: a UTC day, or a number of whole days ending today ("7d": today and the 6 before). */
export function sinceFromFlag(text: string | undefined, nowMs: number): string {
  if (text === undefined || text === '') return '';
  if (isDay(text)) return text;
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0 || ms % DAY_MS !== 0 || ms / DAY_MS > MAX_WINDOW_DAYS) {
    throw new ConfigError('--since', `expected whole days such as 1d, 7d or 30d (at most ${MAX_WINDOW_DAYS}d), or a UTC day such as 2026-11-01`);
  }
  return addDays(dayOf(nowMs), -(ms / DAY_MS - 1));
}

const seconds = (s: number): string => s.toFixed(1);

/** usageText prints a report for a person: the window first, then days, total and quota. */
export function usageText(r: UsageReport): string {
  const lines = [
    `tenant ${r.tenantId} (${r.tenantName})`,
    `window: ${r.windowText} — since ${r.window.since}, until ${r.window.until} (exclusive), UTC`,
    '',
    table(
      ['DAY', 'GPU-SECONDS', 'CPU-SECONDS', 'ATTEMPTS'],
      [...r.days, r.total].map((d) => [d.day, seconds(d.gpuSeconds), seconds(d.cpuSeconds), String(d.attempts)]),
    ).trimEnd(),
    '',
  ];
  const q = r.quota;
  if (q) {
    const period = q.periodDays === 1 ? `today (${q.periodSince})` : `the ${q.periodDays} UTC days since ${q.periodSince}`;
    lines.push(`quota: ${quotaText(q)}; ${seconds(q.periodGpuSeconds)} GPU-seconds used ${period} by ended attempts`);
  } else lines.push('quota: none');
  lines.push('Attempts are metered when they end, from the start and end the scheduler recorded; running attempts are not in these figures yet.');
  return lines.join('\n') + '\n';
}

/** usageCommand is `tessera usage`. */
export function usageCommand(): Command {
  const command = clientOptions(new Command('usage'))
    .description("Your metered GPU-seconds and CPU-seconds per UTC day, with the window named (operators: --tenant T --etcd URL for any tenant's)")
    .addOption(new Option('--since <days|day>', 'first day: 7d (today and the 6 days before; the default), 30d, or a UTC day such as 2026-11-01'))
    .addOption(new Option('--until <day>', 'the UTC day after the last one counted (default: tomorrow, so today is included)'))
    .option('--tenant <tenant>', 'operators: read this tenant (id or name) from the fleet store; needs --etcd')
    .option('--json', 'print JSON');
  addStoreOptions(command);
  return command.action(async (flags: ClientFlags & { since?: string; until?: string; tenant?: string; json?: boolean; etcd?: string; etcdPrefix?: string }) => {
    let since: string;
    try {
      since = sinceFromFlag(flags.since, Date.now());
      if (flags.until !== undefined && !isDay(flags.until)) throw new ConfigError('--until', 'expected a UTC day such as 2026-11-29 (exclusive)');
    } catch (err) {
      failAndExit(err);
    }
    const print = (report: UsageReport): void => void process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : usageText(report));
    if (flags.tenant !== undefined) {
      try {
        const { readUsageReport } = await import('../../gateway/usage-api.js');
        print(await withTenantStore(flags, async (tenants) => readUsageReport(tenants, await tenants.resolveTenant(flags.tenant!), since, flags.until ?? '')));
      } catch (err) {
        failAndExit(err);
      }
      return;
    }
    const { jobCalls } = await import('../gateway-client.js');
    await withClient(flags, async (client) => print(usageFromWire(await jobCalls(client, flags.apiKey).usage(since, flags.until ?? ''))));
  });
}
