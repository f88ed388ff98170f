/**
 * tenant: the domain model of a tenant and of its API keys as the store keeps them.
 */
import { z } from 'zod';

/** API_KEY_PREFIX marks tenant API keys. */
export const API_KEY_PREFIX = 'tsk_';

/** Tenant is one customer account (tenants/<id>). */
export interface Tenant {
  id: string;
  name: string;
  createdAtMs: number;
}

/** ApiKeyRecord is api-keys/<sha256 of key>; keys made before key listing have no createdAtMs. */
export interface ApiKeyRecord {
  tenantId: string;
  createdAtMs?: number;
}

export const tenantSchema: z.ZodType<Tenant, z.ZodTypeDef, unknown> = z.object({
  id: z.string().min(1),
  name: z.string(),
  createdAtMs: z.number(),
});

export const apiKeyRecordSchema: z.ZodType<ApiKeyRecord, z.ZodTypeDef, unknown> = z.object({
  tenantId: z.string().min(1),
  createdAtMs: z.number().optional(),
});
