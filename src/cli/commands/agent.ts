/**
 * `tessera agent`: runs on a worker; dials the scheduler, proves its hardware, stays connected.
 */
import { Command, type OptionValues } from 'commander';
import { parseAgentConfig } from '../../agent/config.js';
import { AGENT_SETTINGS } from '../../agent/settings.js';
import { createLogger } from '../../common/logger.js';
import { addSettingOptions, settingsFromFlags } from '../../common/settings.js';
import { failAndExit } from '../lifecycle.js';
import { addLogOptions, addSecretFileSetting, applyLogOptions } from '../options.js';

export function agentCommand(): Command {
  const command = new Command('agent').description('Run the agent on a worker machine: join the fleet and stay connected');
  addSettingOptions(command, AGENT_SETTINGS);
  addLogOptions(command);
  // The join token can come from a file instead, so it is in neither argv (ps) nor the environment.
  addSecretFileSetting(command, AGENT_SETTINGS.joinToken, AGENT_SETTINGS.joinTokenFile, { missingOk: true });
  return command.action(async (flags: OptionValues) => {
    applyLogOptions(flags);
    const logger = createLogger('agent');
    try {
      const config = parseAgentConfig(settingsFromFlags(AGENT_SETTINGS, flags));
      const { Agent } = await import('../../agent/agent.js');
      const agent = new Agent(config, logger);
      const stop = (signal: string): void => {
        logger.info({ signal }, 'stopping: saying goodbye to the scheduler');
        void agent.stop();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await agent.run();
    } catch (err) {
      if (err instanceof Error && err.name === 'AgentFatalError') {
        logger.error(err.message);
        process.exit(1);
      }
      failAndExit(err, logger);
    }
  });
}
