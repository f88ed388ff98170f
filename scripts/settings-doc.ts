/**
 * settings-doc: rewrites the README's configuration tables from the settings tables
 * (`npm run docs:settings`, or `npx tsx scripts/settings-doc.ts`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTables } from '../src/cli/settings-doc.js';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withSettingsTables(before);
if (after !== before) writeFileSync(readme, after);
process.stdout.write(after === before ? 'README.md: the settings tables were up to date\n' : 'README.md: settings tables rewritten\n');
