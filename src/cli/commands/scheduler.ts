/**
 * `tessera scheduler`: serves AgentService and keeps the topology in etcd.
 */
import { Command, type OptionValues } from 'commander';
import { createLogger } from '../../common/logger.js';
import { addSettingOptions, settingsFromFlags } from '../../common/settings.js';
import { ETCD_SECURITY_SETTINGS } from '../../common/shared-settings.js';
import { parseSchedulerConfig } from '../../scheduler/config.js';
import { SCHEDULER_SETTINGS } from '../../scheduler/settings.js';
import { failAndExit } from '../lifecycle.js';
import { serve } from '../serve.js';
import { addLogOptions, applyLogOptions, etcdSecurityFrom } from '../options.js';

export function schedulerCommand(): Command {
  const command = new Command('scheduler').description('Run the scheduler: agents dial in here; the topology lives in etcd');
  addSettingOptions(command, SCHEDULER_SETTINGS);
  addSettingOptions(command, ETCD_SECURITY_SETTINGS);
  addLogOptions(command);
  return command.action(async (flags: OptionValues) => {
    applyLogOptions(flags);
    const logger = createLogger('scheduler');
    try {
      const config = parseSchedulerConfig(settingsFromFlags(SCHEDULER_SETTINGS, flags));
      if (config.etcdEndpoints.length === 0) logger.warn('no --etcd given: the topology lives in this process and other components cannot see it');
      const { startScheduler } = await import('../../scheduler/scheduler.js');
      await serve(logger, config, etcdSecurityFrom(flags), (store, kv) => startScheduler(config, store, kv, logger));
    } catch (err) {
      failAndExit(err, logger);
    }
  });
}
