/**
 * main: the `tessera` command line.
 */
import { Command } from 'commander';
import { agentCommand } from './commands/agent.js';
import { certsCommand } from './commands/certs.js';
import { devCommand } from './commands/dev.js';
import { gatewayCommand } from './commands/gateway.js';
import { hardwareCommand } from './commands/hardware.js';
import { joinTokenCommand } from './commands/join-token.js';
import { schedulerCommand } from './commands/scheduler.js';
import { workersCommand } from './commands/workers.js';
import { jobCommands } from './commands/jobs.js';
import { trustCommands } from './commands/trust.js';
import { tenantsCommand } from './commands/tenants.js';
import { usageCommand } from './commands/usage.js';
import { AGENT_VERSION } from '../agent/version.js';

const program = new Command('tessera')
  .description('Tessera: an honest compute orchestrator for AI work on heterogeneous, untrusted GPUs')
  .version(AGENT_VERSION)
  .showHelpAfterError()
  .addCommand(devCommand())
  .addCommand(schedulerCommand())
  .addCommand(gatewayCommand())
  .addCommand(agentCommand())
  .addCommand(workersCommand())
  .addCommand(hardwareCommand())
  .addCommand(joinTokenCommand())
  .addCommand(certsCommand());
for (const command of [...jobCommands(), usageCommand(), tenantsCommand(), ...trustCommands()]) program.addCommand(command);

await program.parseAsync(process.argv);
