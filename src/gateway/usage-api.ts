/**
 * usage-api: GetUsage, the tenant's metered use over a named window of whole UTC days, and its
 * quota. A tenant sees only its own usage: the API key decides whose.
 */
import type * as grpc from '@grpc/grpc-js';
import type { GatewayServiceHandlers } from '../gen/tessera/v1/GatewayService.js';
import { NotFound } from '../common/errors.js';
import { buildReport, usageWindow, type UsageReport } from '../common/usage.js';
import type { TenantStore } from '../store/tenant-store.js';
import { usageToWire } from '../wire/gateway.js';
import type { TenantAuth } from './auth.js';

type Unary = <Req, Res>(method: string, handle: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) => grpc.handleUnaryCall<Req, Res>;

/** readUsageReport reads what a report needs from the store (GetUsage, and `tessera usage --tenant` on etcd). */
export async function readUsageReport(tenants: TenantStore, tenant: { id: string; name: string }, since: string, until: string, nowMs = Date.now()): Promise<UsageReport> {
  const window = usageWindow(since, until, nowMs);
  const [days, quota] = await Promise.all([tenants.usageDays(tenant.id), tenants.getQuota(tenant.id)]);
  return buildReport(tenant, window, days, quota, nowMs);
}

/** usageHandlers serves GetUsage: the caller's own usage, the tenant taken from its API key. */
export function usageHandlers(tenants: TenantStore, auth: TenantAuth, unary: Unary): Pick<GatewayServiceHandlers, 'GetUsage'> {
  return {
    GetUsage: unary('GetUsage', async (request, call) => {
      const tenantId = await auth.tenantOf(call.metadata);
      const tenant = await tenants.getTenant(tenantId);
      if (!tenant) throw new NotFound(`tenant ${tenantId} not found`);
      return usageToWire(await readUsageReport(tenants, tenant, request.since, request.until));
    }),
  };
}
