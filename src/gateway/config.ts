/**
 * config: the gateway's compiled configuration — its settings table (settings.ts), the limits
 * only code and tests set, and the rules that tie settings together.
 */
import { z } from 'zod';
import { parseConfig } from '../common/config.js';
import { settingNames, settingsSchema } from '../common/settings.js';
import { GATEWAY_SETTINGS } from './settings.js';

/** gatewayConfigSchema compiles the gateway's settings into the config it runs with. */
export const gatewayConfigSchema = settingsSchema(GATEWAY_SETTINGS)
  .extend({
    /** Largest request a client may send. Requests today are small; 4 MiB leaves room for job specs. */
    maxRequestBytes: z.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  })
  .refine((c) => c.tlsDir !== undefined || c.insecure, {
    message: 'expected a TLS directory (`tessera certs init --dir DIR --hosts NAMES`), or --insecure to serve plaintext',
    path: ['tlsDir'],
  });

/** GatewayConfig is the compiled configuration. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** parseGatewayConfig validates raw settings (flags and env already merged); an error names the flag. */
export function parseGatewayConfig(raw: unknown): GatewayConfig {
  return parseConfig(gatewayConfigSchema, raw, settingNames(GATEWAY_SETTINGS));
}
