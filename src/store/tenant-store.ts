/**
 * tenant-store: what an operator manages per tenant — its API keys, its quota — and the usage
 * the scheduler meters for it, over Kv (etcd or in-memory).
 *
 * Keys (under the root, /tessera/v1/ by default):
 *   tenants/<id>                 {id, name, createdAtMs}          (JobStore.createTenant)
 *   api-keys/<sha256 of key>     {tenantId, createdAtMs}          one per key; deleting it revokes the key
 *   tenant-quotas/<id>           TenantQuota + updatedAtMs
 *   usage/<id>/<yyyy-mm-dd>      UsageDay, written by the scheduler in the transaction that ends
 *                                each attempt (see scheduler/jobs/meter.ts); never on a lease
 *
 * Keys come from Keys; every value is decoded through its schema, and a corrupt one is logged
 * and skipped.
 */
import type { z } from 'zod';
import { NotFound, InvalidArgument } from '../common/errors.js';
import { tenantQuotaSchema, type TenantQuota } from '../common/quota.js';
import { newSecret, sha256Hex } from '../common/secrets.js';
import { usageDaySchema, type UsageDay } from '../common/usage.js';
import { API_KEY_PREFIX, apiKeyRecordSchema, tenantSchema, type ApiKeyRecord, type Tenant } from '../common/tenant.js';
import type { Versioned } from './job-store.js';
import { DEFAULT_ROOT, Keys } from './keys.js';
import { decodeEntry, parseJson, type DecodeLog, type Kv, type KvEntry } from './kv.js';

/** KEY_ID_HEX: a key is named by this many hex digits of its hash (48 bits: unique among any real number of keys). */
const KEY_ID_HEX = 12;
const TENANT_ID = /^t-[0-9a-f]{12}$/;

/** ApiKeyInfo is a stored key, named by its id (never the key itself). */
export interface ApiKeyInfo {
  keyId: string;
  tenantId: string;
  createdAtMs?: number;
}

/** TenantStore reads and writes tenants' keys, quotas and usage. */
export class TenantStore {
  readonly keys: Keys;

  constructor(
    readonly kv: Kv,
    readonly root: string = DEFAULT_ROOT,
    /** Where corrupt stored values are reported (the server's logger); silent without one. */
    private readonly log?: DecodeLog,
  ) {
    this.keys = new Keys(root);
  }

  get quotasPrefix(): string {
    return this.keys.quotasPrefix;
  }
  quotaKey(tenantId: string): string {
    return this.keys.quota(tenantId);
  }
  usagePrefix(tenantId: string): string {
    return this.keys.usagePrefix(tenantId);
  }
  usageKey(tenantId: string, day: string): string {
    return this.keys.usage(tenantId, day);
  }

  private decode<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, entry: KvEntry | undefined): Versioned<T> | undefined {
    const value = entry && decodeEntry(schema, entry, this.log);
    return entry && value !== undefined ? { key: entry.key, value, modRevision: entry.modRevision } : undefined;
  }

  /** keyInfo names a stored API key by its id, or undefined when its value is corrupt. */
  private keyInfo(entry: KvEntry): ApiKeyInfo | undefined {
    const value = decodeEntry(apiKeyRecordSchema, entry, this.log);
    const keyId = entry.key.slice(this.keys.apiKeysPrefix.length, this.keys.apiKeysPrefix.length + KEY_ID_HEX);
    return value && { keyId, tenantId: value.tenantId, ...(value.createdAtMs !== undefined && { createdAtMs: value.createdAtMs }) };
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    return this.decode(tenantSchema, await this.kv.get(this.keys.tenant(tenantId)))?.value;
  }

  /** resolveTenant finds a tenant by id (t-…) or by a name only one tenant has. */
  async resolveTenant(idOrName: string): Promise<Tenant> {
    if (TENANT_ID.test(idOrName)) {
      const tenant = await this.getTenant(idOrName);
      if (!tenant) throw new NotFound(`tenant ${idOrName} not found`);
      return tenant;
    }
    const { entries } = await this.kv.range(this.keys.tenantsPrefix);
    const named = entries.map((e) => decodeEntry(tenantSchema, e, this.log)).filter((t): t is Tenant => t?.name === idOrName);
    if (named.length === 0) throw new NotFound(`no tenant named "${idOrName}"`);
    if (named.length > 1) throw new InvalidArgument('tenant', `several tenants are named "${idOrName}" (${named.map((t) => t.id).join(', ')}); name one by id`);
    return named[0]!;
  }

  /** createKey adds an API key to a tenant; the key is returned once and only its hash is kept. */
  async createKey(tenantId: string, nowMs = Date.now()): Promise<{ apiKey: string; keyId: string }> {
    const tenantKey = this.keys.tenant(tenantId);
    const tenant = await this.kv.get(tenantKey);
    if (!tenant) throw new NotFound(`tenant ${tenantId} not found`);
    const apiKey = newSecret(API_KEY_PREFIX);
    const hash = sha256Hex(apiKey);
    const record: ApiKeyRecord = { tenantId, createdAtMs: nowMs };
    // The tenant must still exist as read, and the hash must be new.
    const { succeeded } = await this.kv.txn({
      compares: [{ key: tenantKey, modRevision: tenant.modRevision }, { key: this.keys.apiKey(hash), modRevision: 0 }],
      puts: [{ key: this.keys.apiKey(hash), value: JSON.stringify(record) }],
    });
    if (!succeeded) throw new Error('the tenant changed while its key was created; try again');
    return { apiKey, keyId: hash.slice(0, KEY_ID_HEX) };
  }

  /** listKeys names every key of a tenant (or of all tenants) by id, oldest first. */
  async listKeys(tenantId?: string): Promise<ApiKeyInfo[]> {
    const { entries } = await this.kv.range(this.keys.apiKeysPrefix);
    return entries
      .map((e) => this.keyInfo(e))
      .filter((k): k is ApiKeyInfo => k !== undefined && (tenantId === undefined || k.tenantId === tenantId))
      .sort((a, b) => (a.createdAtMs ?? 0) - (b.createdAtMs ?? 0));
  }

  /**
   * revokeKey deletes one API key, given the key itself (tsk_…) or its id (12 hex digits, as
   * `tessera tenants keys` lists them). Gateways refuse it within their cache time (500 ms).
   */
  async revokeKey(keyOrId: string): Promise<ApiKeyInfo> {
    let key: string;
    if (keyOrId.startsWith(API_KEY_PREFIX)) key = this.keys.apiKey(sha256Hex(keyOrId));
    else if (new RegExp(`^[0-9a-f]{${KEY_ID_HEX}}$`).test(keyOrId)) {
      // A key id is the start of the hash: the keys under it, as a prefix.
      const { entries } = await this.kv.range(this.keys.apiKey(keyOrId));
      if (entries.length > 1) throw new InvalidArgument('key', `key id ${keyOrId} matches ${entries.length} keys; revoke by the key itself`);
      key = entries[0]?.key ?? this.keys.apiKey(keyOrId);
    } else throw new InvalidArgument('key', `expected an API key (${API_KEY_PREFIX}…) or a key id of ${KEY_ID_HEX} hex digits`);
    const entry = await this.kv.get(key);
    const info = entry && this.keyInfo(entry);
    if (!entry || !info) throw new NotFound('no such API key (already revoked?)');
    const { succeeded } = await this.kv.txn({ compares: [{ key, modRevision: entry.modRevision }], deletes: [key] });
    if (!succeeded) throw new Error('the key changed while it was revoked; try again');
    return info;
  }

  async getQuota(tenantId: string): Promise<TenantQuota | undefined> {
    const entry = await this.kv.get(this.quotaKey(tenantId));
    return entry && decodeEntry(tenantQuotaSchema, entry, this.log);
  }

  /** setQuota replaces a tenant's whole quota (a limit left out is no limit). */
  async setQuota(tenantId: string, quota: TenantQuota, nowMs = Date.now()): Promise<void> {
    const tenantKey = this.keys.tenant(tenantId);
    const tenant = await this.kv.get(tenantKey);
    if (!tenant) throw new NotFound(`tenant ${tenantId} not found`);
    const { succeeded } = await this.kv.txn({
      compares: [{ key: tenantKey, modRevision: tenant.modRevision }],
      puts: [{ key: this.quotaKey(tenantId), value: JSON.stringify({ ...tenantQuotaSchema.parse(quota), updatedAtMs: nowMs }) }],
    });
    if (!succeeded) throw new Error('the tenant changed while its quota was set; try again');
  }

  /** usageDays reads every stored day of a tenant's usage (a few hundred small keys a year). */
  async usageDays(tenantId: string): Promise<Map<string, UsageDay>> {
    const prefix = this.usagePrefix(tenantId);
    const { entries } = await this.kv.range(prefix);
    const days = new Map<string, UsageDay>();
    for (const e of entries) {
      const value = decodeEntry(usageDaySchema, e, this.log);
      if (value) days.set(e.key.slice(prefix.length), value);
    }
    return days;
  }

  /** usageDay reads one day's counters with the revision the next compare needs. */
  async usageDay(tenantId: string, day: string): Promise<Versioned<UsageDay> | undefined> {
    const entry = await this.kv.get(this.usageKey(tenantId, day));
    if (!entry) return undefined;
    // A corrupt counter (logged) counts from zero: the meter still compares its revision and
    // overwrites it, rather than failing every attempt end of that tenant and day.
    return this.decode(usageDaySchema, entry) ?? { key: entry.key, value: { gpuMs: 0, cpuCoreMs: 0, attempts: 0, updatedAtMs: 0 }, modRevision: entry.modRevision };
  }
}

/** parseQuota reads a stored quota; a corrupt one is undefined (no limits) rather than a crash. */
export function parseQuota(text: string): TenantQuota | undefined {
  const parsed = tenantQuotaSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : undefined;
}
