/**
 * `tessera hardware`: what this machine's agent would report, for the owner to check before joining.
 */
import { Command } from 'commander';
import { AGENT_SETTINGS } from '../../agent/settings.js';
import { hardwareSchema } from '../../common/hardware.js';
import { addSettingOptions } from '../../common/settings.js';
import { hardwareText } from '../format.js';

export function hardwareCommand(): Command {
  const command = new Command('hardware').description("Show the hardware this machine's agent would report").option('--json', 'print the report as JSON');
  // The agent's own --nvidia-smi, so both run the same one.
  return addSettingOptions(command, { nvidiaSmi: AGENT_SETTINGS.nvidiaSmi })
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
