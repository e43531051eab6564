import type { WirelessHttp } from '../http.js';
import { paginate } from '../paginate.js';
import type { AccountUsageRecord, RatePlan } from '../types.js';
import { type UsageRecordsParams, usageQuery } from './sims.js';

/** POST /v1/RatePlans (CreateRatePlan): the fields this product cares about. */
export interface CreateRatePlanParams {
  uniqueName?: string;
  friendlyName?: string;
  messagingEnabled?: boolean;
  dataEnabled?: boolean;
  dataLimit?: number;
  nationalRoamingEnabled?: boolean;
  internationalRoaming?: string[];
}

/** Wireless v1 RatePlans: `messaging_enabled` decides whether a SIM may use Commands (error 33203). */
export class RatePlansResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  list(params: { pageSize?: number } = {}): AsyncGenerator<RatePlan> {
    return paginate<RatePlan>(this.http, `${this.baseUrl}/RatePlans`, 'rate_plans', { PageSize: params.pageSize });
  }

  fetch(sidOrUniqueName: string): Promise<RatePlan> {
    return this.http.get<RatePlan>(this.url(sidOrUniqueName));
  }

  create(params: CreateRatePlanParams): Promise<RatePlan> {
    return this.http.post<RatePlan>(`${this.baseUrl}/RatePlans`, {
      UniqueName: params.uniqueName,
      FriendlyName: params.friendlyName,
      MessagingEnabled: params.messagingEnabled,
      DataEnabled: params.dataEnabled,
      DataLimit: params.dataLimit,
      NationalRoamingEnabled: params.nationalRoamingEnabled,
      InternationalRoaming: params.internationalRoaming,
    });
  }

  /** Only the names can change (UpdateRatePlan). */
  update(sidOrUniqueName: string, params: { uniqueName?: string; friendlyName?: string }): Promise<RatePlan> {
    return this.http.post<RatePlan>(this.url(sidOrUniqueName), {
      UniqueName: params.uniqueName,
      FriendlyName: params.friendlyName,
    });
  }

  delete(sidOrUniqueName: string): Promise<void> {
    return this.http.delete(this.url(sidOrUniqueName));
  }

  private url(sid: string) {
    return `${this.baseUrl}/RatePlans/${encodeURIComponent(sid)}`;
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
