/**
 * `tessera certs`: the control plane's certificates. `init` makes a CA and a server certificate
 * for the scheduler and gateway (their --tls-dir); `pin` prints a CA's pin, the hash join tokens
 * carry.
 */
import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { failAndExit } from '../lifecycle.js';
import { splitList, toInt } from '../options.js';

export function certsCommand(): Command {
  const init = new Command('init')
    .description('Create a CA and a server certificate in a TLS directory (for --tls-dir)')
    .requiredOption('--dir <dir>', 'where to write ca.crt, ca.key, server.crt, server.key (created with mode 0700)')
    .requiredOption('--hosts <names>', 'comma-separated DNS names and IP addresses agents and clients dial, e.g. sched.example.com,10.0.0.5')
    .addOption(new Option('--days <n>', 'validity of the server certificate in days (default: 825)').argParser(toInt))
    .action(async (flags: { dir: string; hosts: string; days?: number }) => {
      try {
        const hosts = splitList(flags.hosts) ?? [];
        if (hosts.length === 0) throw new Error('--hosts: expected at least one name or address');
        const { initTlsDir } = await import('../../common/tls.js');
        const { pin } = await initTlsDir(flags.dir, hosts, flags.days ? { days: flags.days } : {});
        process.stdout.write(
          [
            `wrote ${flags.dir}/ca.crt, ca.key (keep it on schedulers only), server.crt, server.key for ${hosts.join(', ')}`,
            `CA pin: ${pin}`,
            `next: tessera scheduler --tls-dir ${flags.dir} …; tessera gateway --tls-dir ${flags.dir} …; clients: --tls-ca ${flags.dir}/ca.crt`,
            '',
          ].join('\n'),
        );
      } catch (err) {
        failAndExit(err);
      }
    });
  const pin = new Command('pin')
    .description('Print the pin (sha256 of the public key) of a CA certificate, as join tokens carry it')
    .argument('<ca.crt>', 'the CA certificate (PEM)')
    .action(async (path: string) => {
      try {
        const { caPin } = await import('../../common/pki.js');
        process.stdout.write(`${caPin(await readFile(path))}\n`);
      } catch (err) {
        failAndExit(err);
      }
    });
  return new Command('certs').description('Manage the control plane\'s TLS certificates').addCommand(init).addCommand(pin);
}
