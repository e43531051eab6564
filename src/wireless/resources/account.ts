import type { WirelessHttp } from '../http.js';
import { paginate } from '../paginate.js';
import type { AccountUsageRecord, RatePlan } from '../types.js';
import { type UsageRecordsParams, usageQuery } from './sims.js';

/** Wireless v1 RatePlans (read side: whether `messaging_enabled` allows Commands). */
export class RatePlansResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  list(params: { pageSize?: number } = {}): AsyncGenerator<RatePlan> {
    return paginate<RatePlan>(this.http, `${this.baseUrl}/RatePlans`, 'rate_plans', { PageSize: params.pageSize });
  }

  fetch(sidOrUniqueName: string): Promise<RatePlan> {
    return this.http.get<RatePlan>(`${this.baseUrl}/RatePlans/${encodeURIComponent(sidOrUniqueName)}`);
  }
}

/** GET /v1/UsageRecords: the account's usage over all SIMs. */
export class AccountUsageRecordsResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  list(params: UsageRecordsParams = {}): AsyncGenerator<AccountUsageRecord> {
    return paginate<AccountUsageRecord>(this.http, `${this.baseUrl}/UsageRecords`, 'usage_records', usageQuery(params));
  }
}
