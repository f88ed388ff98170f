/**
 * settings: each setting of a Tessera component is defined once, in its component's table
 * (`src/scheduler/settings.ts`, …): key, flag, environment variable, default, help and kind. From
 * the table come the command's options (help shows the default, generated), the zod schema of
 * the config the component receives, the names errors use, and the README's tables
 * (`npm run docs:settings`).
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { byteSize, dialAddress, durationMs, formatBytes, listenAddress, parseDurationMs, splitCommas, strictBoolean, wholeNumber } from './config.js';

/** Kind: how one sort of value is read from text (a flag, the environment) or from code, checked, and shown. */
export interface Kind<S extends z.ZodTypeAny> {
  /** schema checks and compiles a value given as text or typed (tests and `tessera dev` pass typed values). */
  readonly schema: S;
  /** placeholder names the flag's value in help (`<duration>`); a switch has none. */
  readonly placeholder?: string;
  /** range says which values are allowed, as users write them ("2s to 5m"). */
  readonly range?: string;
  /** choices are the only values allowed; commander refuses others before zod sees them. */
  readonly choices?: readonly string[];
  /** show writes a default as users would type it. */
  readonly show: (value: z.input<S>) => string;
}

/** SettingSpec is how a user sets a setting and what it means. */
export interface SettingSpec {
  readonly flag: `--${string}`;
  readonly env?: `TESSERA_${string}`;
  /** placeholder replaces the kind's in help (`<bytes-per-second>`). */
  readonly placeholder?: string;
  /** help is one line for the README and `--help` (which drops its backticks). */
  readonly help: string;
  /** docs is added in the README only (a link to the page that explains more). */
  readonly docs?: string;
  /** default is the value when none is given, as a user would type it, or a function computing it. */
  readonly default?: unknown;
  /** shown is how a computed or absent default reads ("the host name"), in the same markdown as help. */
  readonly shown?: string;
  readonly required?: true;
}

type Described = Omit<SettingSpec, 'default' | 'shown' | 'required'>;
type Presence<I> = { readonly default: I; readonly shown?: string } | { readonly default: () => I; readonly shown: string } | { readonly required: true };

/** Setting is one entry of a component's table; T is the compiled value the component receives. */
export interface Setting<T> {
  readonly kind: Kind<z.ZodTypeAny>;
  readonly spec: SettingSpec;
  readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>;
}

/** SettingsTable maps config keys to settings. */
export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

/** setting defines one setting: a kind and how users set it; without a default (or `required`) it is optional. */
export function setting<S extends z.ZodTypeAny>(kind: Kind<S>, spec: Described & Presence<z.input<S>>): Setting<z.output<S>>;
export function setting<S extends z.ZodTypeAny>(kind: Kind<S>, spec: Described & { readonly shown?: string }): Setting<z.output<S> | undefined>;
export function setting(kind: Kind<z.ZodTypeAny>, spec: SettingSpec): Setting<unknown> {
  const present = z.unknown().refine((value) => value !== undefined, 'expected a value: this setting is required');
  const schema = spec.default !== undefined ? kind.schema.default(spec.default) : spec.required ? present.pipe(kind.schema) : kind.schema.optional();
  return { kind, spec, schema };
}

/** derive makes a setting of another command from one defined here (`tessera dev --scheduler-listen` from the scheduler's `--listen`). */
export function derive<T>(base: Setting<T>, changes: Partial<SettingSpec>): Setting<T> {
  return setting(base.kind, { ...base.spec, ...changes } as Described & { shown?: string }) as Setting<T>;
}

/** settingName is how errors name a setting: its flag, and its environment variable if it has one. */
export function settingName(s: Setting<unknown>): string {
  return s.spec.env ? `${s.spec.flag} / ${s.spec.env}` : s.spec.flag;
}

/** settingNames maps each key of a table to its setting's name, for parseConfig. */
export function settingNames(table: SettingsTable): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([key, s]) => [key, settingName(s)]));
}

/** SettingsShape is the zod shape a table compiles to. */
export type SettingsShape<T extends SettingsTable> = { [K in keyof T & string]: T[K]['schema'] };

/** settingsSchema is the zod object of a table, to which a component adds its cross-setting rules. */
export function settingsSchema<T extends SettingsTable>(table: T): z.ZodObject<SettingsShape<T>> {
  return z.object(Object.fromEntries(Object.entries(table).map(([key, s]) => [key, s.schema])) as SettingsShape<T>);
}

/** defaultText is how a setting's default reads in help and docs; `literal` when it is a value to type. */
export function defaultText(s: Setting<unknown>): { text: string; literal: boolean } | undefined {
  const { spec, kind } = s;
  if (spec.required) return { text: 'required', literal: false };
  if (spec.shown !== undefined) return { text: spec.shown, literal: false };
  if (spec.default === undefined) return undefined;
  return { text: kind.show(spec.default), literal: kind.placeholder !== undefined };
}

/** helpText is a setting's line in `--help`: what it does, its range and its default (commander adds the environment variable). */
export function helpText(s: Setting<unknown>): string {
  const shown = defaultText(s);
  const notes = [s.kind.range, shown && (s.spec.required ? shown.text : s.kind.placeholder && `default: ${shown.text}`)].filter(Boolean);
  return (notes.length > 0 ? `${s.spec.help} (${notes.join('; ')})` : s.spec.help).replace(/`/g, '');
}

/** addSettingOptions gives a command one option per setting of the table, in table order. */
export function addSettingOptions(command: Command, table: SettingsTable): Command {
  for (const s of Object.values(table)) {
    const placeholder = s.spec.placeholder ?? s.kind.placeholder;
    const option = new Option(placeholder ? `${s.spec.flag} ${placeholder}` : s.spec.flag, helpText(s));
    if (s.spec.env) option.env(s.spec.env);
    if (s.kind.choices) option.choices(s.kind.choices);
    command.addOption(option);
  }
  return command;
}

/** settingsFromFlags takes a table's values from a command's parsed flags, keyed by setting (unset ones undefined, so defaults apply). */
export function settingsFromFlags<T extends SettingsTable>(table: T, flags: Readonly<Record<string, unknown>>): Record<keyof T, unknown> {
  return Object.fromEntries(Object.entries(table).map(([key, s]) => [key, flags[new Option(s.spec.flag).attributeName()]])) as Record<keyof T, unknown>;
}

/** settingsMarkdown is a table's README section: flag, environment variable, default and meaning per setting. */
export function settingsMarkdown(table: SettingsTable): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const rows = Object.values(table).map((s) => {
    const shown = defaultText(s);
    const meaning = [s.spec.help, s.kind.range && `(${s.kind.range})`, s.spec.docs].filter(Boolean).join(' ');
    return `| \`${s.spec.flag}\` | ${s.spec.env ? `\`${s.spec.env}\`` : ''} | ${shown ? cell(shown.literal ? `\`${shown.text}\`` : shown.text) : ''} | ${cell(meaning)} |`;
  });
  return ['| flag | env | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Bounds are the smallest and largest allowed values, as users write them. */
interface Bounds<T> {
  readonly min?: T;
  readonly max?: T;
}

/** NumberSchema compiles a number given as text (a flag, the environment) or as a number (code). */
type NumberSchema = z.ZodType<number, z.ZodTypeDef, string | number>;

/** bounded adds a range check to a number schema; `value` reads a bound, `show` writes it as users type it. */
function bounded<T>(schema: NumberSchema, bounds: Bounds<T>, value: (bound: T) => number, show: (bound: T) => string): { schema: NumberSchema; range?: string } {
  const { min, max } = bounds;
  if (min === undefined && max === undefined) return { schema };
  const low = min === undefined ? undefined : show(min);
  const high = max === undefined ? undefined : show(max);
  const range = low && high ? `${low} to ${high}` : low ? `at least ${low}` : `at most ${high}`;
  const ok = (n: number): boolean => (min === undefined || n >= value(min)) && (max === undefined || n <= value(max));
  return { schema: schema.refine(ok, `expected ${range}`), range };
}

/** boundMs reads a duration bound; one that does not parse is a mistake in a table, found when it loads. */
function boundMs(bound: string): number {
  const ms = parseDurationMs(bound);
  if (ms === undefined) throw new Error(`a settings table has a duration bound that is not a duration: ${bound}`);
  return ms;
}

/** duration is a span such as 500ms, 10s, 5m, 1h or 7d; the config holds milliseconds. */
export function duration(bounds: Bounds<string> = {}): Kind<NumberSchema> {
  return { ...bounded(durationMs, bounds, boundMs, (b) => b), placeholder: '<duration>', show: (v) => (typeof v === 'number' ? `${v}ms` : v) };
}

/** bytes is a size such as 1048576 or 1MiB; the config holds bytes. */
export function bytes(bounds: Bounds<number>): Kind<NumberSchema> {
  return { ...bounded(byteSize, bounds, (b) => b, formatBytes), placeholder: '<bytes>', show: (v) => (typeof v === 'number' ? formatBytes(v) : v) };
}

/** integer is a whole number within bounds. */
export function integer(bounds: Bounds<number>): Kind<NumberSchema> {
  return { ...bounded(wholeNumber, bounds, (b) => b, String), placeholder: '<n>', show: String };
}

/** TextSchema checks a string setting. */
type TextSchema = z.ZodType<string, z.ZodTypeDef, string>;

/** text is a string checked by `schema` (by default: not empty). */
export function text(schema: TextSchema = z.string().min(1)): Kind<TextSchema> {
  return { schema, placeholder: '<value>', show: String };
}

/** address is host:port to listen on (port 0 picks a free one), or with `dial` one to connect to. */
export function address(options: { dial?: boolean } = {}): Kind<TextSchema> {
  return { schema: options.dial ? dialAddress : listenAddress, placeholder: '<host:port>', show: String };
}

/** ListSchema reads comma-separated text, or an array from code, into checked items. */
type ListSchema<S extends z.ZodTypeAny> = z.ZodPipeline<z.ZodUnion<[z.ZodEffects<z.ZodString, string[]>, z.ZodArray<z.ZodUnknown>]>, z.ZodArray<S>>;

/** list is comma-separated text (or an array), each item checked by `item`. */
export function list<S extends z.ZodTypeAny>(item: S): Kind<ListSchema<S>> {
  const schema = z.union([z.string().transform(splitCommas), z.array(z.unknown())]).pipe(z.array(item));
  return { schema, placeholder: '<list>', show: (v) => (typeof v === 'string' ? v : v.join(',')) };
}

/** choice is one of a fixed set of words. */
export function choice<const C extends readonly [string, ...string[]]>(choices: C): Kind<z.ZodEnum<[...C]>> {
  return { schema: z.enum([...choices]), choices, placeholder: '<choice>', show: String };
}

/** toggle is a switch: the flag alone turns it on (or, for a `--no-…` flag, off); by default the flag is off. */
export function toggle(): Kind<typeof strictBoolean> {
  return { schema: strictBoolean, show: () => 'off' };
}

/** custom is any other kind of value, checked and compiled by `schema`. */
export function custom<S extends z.ZodTypeAny>(schema: S, placeholder: string): Kind<S> {
  return { schema, placeholder, show: (v) => String(v) };
}
