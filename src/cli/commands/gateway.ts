/**
 * `tessera gateway`: the client-facing API.
 */
import { Command, type OptionValues } from 'commander';
import { createLogger } from '../../common/logger.js';
import { addSettingOptions, settingsFromFlags } from '../../common/settings.js';
import { ETCD_SECURITY_SETTINGS } from '../../common/shared-settings.js';
import { parseGatewayConfig } from '../../gateway/config.js';
import { GATEWAY_SETTINGS } from '../../gateway/settings.js';
import { failAndExit } from '../lifecycle.js';
import { serve } from '../serve.js';
import { addLogOptions, applyLogOptions, etcdSecurityFrom } from '../options.js';

export function gatewayCommand(): Command {
  const command = new Command('gateway').description('Run the gateway: the client API (workers now; clusters and jobs as they land)');
  addSettingOptions(command, GATEWAY_SETTINGS);
  addSettingOptions(command, ETCD_SECURITY_SETTINGS);
  addLogOptions(command);
  return command.action(async (flags: OptionValues) => {
    applyLogOptions(flags);
    const logger = createLogger('gateway');
    try {
      const config = parseGatewayConfig(settingsFromFlags(GATEWAY_SETTINGS, flags));
      if (config.etcdEndpoints.length === 0) logger.warn('no --etcd given: this gateway sees an empty in-memory store');
      const { startGateway } = await import('../../gateway/gateway.js');
      await serve(logger, config, etcdSecurityFrom(flags), (store, kv) => startGateway(config, store, kv, logger));
    } catch (err) {
      failAndExit(err, logger);
    }
  });
}
