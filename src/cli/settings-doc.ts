/**
 * settings-doc: the README's configuration tables, made from the settings tables. Each sits
 * between `<!-- settings:NAME:begin -->` and `<!-- settings:NAME:end -->`; `npm run docs:settings`
 * rewrites them, and test/unit/settings.test.ts fails when they differ.
 */
import { AGENT_SETTINGS } from '../agent/settings.js';
import { settingsMarkdown, type SettingsTable } from '../common/settings.js';
import { ETCD_SECURITY_SETTINGS, STORE_SETTINGS } from '../common/shared-settings.js';
import { GATEWAY_SETTINGS } from '../gateway/settings.js';
import { SCHEDULER_SETTINGS } from '../scheduler/settings.js';
import { DEV_SETTINGS } from './dev-settings.js';

/** withoutStore leaves out the store's settings, which the README lists once for every command. */
function withoutStore(table: SettingsTable): SettingsTable {
  return Object.fromEntries(Object.entries(table).filter(([key]) => !(key in STORE_SETTINGS)));
}

/** SETTINGS_SECTIONS: each README section's name and the settings it lists. */
export const SETTINGS_SECTIONS: Readonly<Record<string, SettingsTable>> = {
  scheduler: withoutStore(SCHEDULER_SETTINGS),
  store: { ...STORE_SETTINGS, ...ETCD_SECURITY_SETTINGS },
  gateway: withoutStore(GATEWAY_SETTINGS),
  agent: AGENT_SETTINGS,
  dev: DEV_SETTINGS,
};

/** withSettingsTables returns the README with every section's table made afresh; a missing marker is an error. */
export function withSettingsTables(readme: string): string {
  let text = readme;
  for (const [name, table] of Object.entries(SETTINGS_SECTIONS)) {
    const begin = `<!-- settings:${name}:begin -->`;
    const end = `<!-- settings:${name}:end -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`README.md has no ${begin} … ${end} markers`);
    text = `${text.slice(0, from)}${begin}\n${settingsMarkdown(table)}\n${text.slice(to)}`;
  }
  return text;
}
