/**
 * `tessera hardware`: what this machine's agent would report, for the owner to check before joining.
 */
import { Command, Option } from 'commander';
import { hardwareSchema } from '../../common/hardware.js';
import { hardwareText } from '../format.js';

export function hardwareCommand(): Command {
  return new Command('hardware')
    .description("Show the hardware this machine's agent would report")
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--nvidia-smi <path>', 'nvidia-smi to run (default: nvidia-smi on PATH)').env('TESSERA_NVIDIA_SMI'))
    .action(async (flags: { json?: boolean; nvidiaSmi?: string }) => {
      const { discoverHardware } = await import('../../agent/discovery/index.js');
      const hardware = await discoverHardware({ nvidiaSmi: flags.nvidiaSmi });
      const check = hardwareSchema.safeParse(hardware);
      process.stdout.write(flags.json ? JSON.stringify(hardware, null, 2) + '\n' : hardwareText(hardware));
      if (!check.success) {
        process.stderr.write(`tessera: the scheduler would refuse this report: ${check.error.issues[0]?.path.join('.')}: ${check.error.issues[0]?.message}\n`);
        process.exitCode = 1;
      }
    });
}
