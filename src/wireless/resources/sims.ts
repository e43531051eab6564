import type { WirelessHttp } from '../http.js';
import { paginate } from '../paginate.js';
import type { DataSession, HttpMethod, Sim, SimStatus, SimUsageRecord, UsageGranularity } from '../types.js';

/** GET /v1/Sims filters (ListSim). An Iccid filter returns at most one Sim (FACTS.md). */
export interface ListSimsParams {
  iccid?: string;
  status?: SimStatus;
  ratePlan?: string;
  pageSize?: number;
}

/** POST /v1/Sims/{Sid} (UpdateSim): the fields this product uses. */
export interface UpdateSimParams {
  uniqueName?: string;
  friendlyName?: string;
  status?: SimStatus;
  ratePlan?: string;
  commandsCallbackUrl?: string;
  commandsCallbackMethod?: HttpMethod;
  callbackUrl?: string;
  callbackMethod?: HttpMethod;
}

/** Start/End/Granularity of the UsageRecords lists (ListUsageRecord, ListAccountUsageRecord). */
export interface UsageRecordsParams {
  start?: Date | string;
  end?: Date | string;
  granularity?: UsageGranularity;
  pageSize?: number;
}

export function usageQuery(params: UsageRecordsParams) {
  const iso = (value: Date | string | undefined) => (value instanceof Date ? value.toISOString() : value);
  return { Start: iso(params.start), End: iso(params.end), Granularity: params.granularity, PageSize: params.pageSize };
}

/** Wireless v1 Sims, with each Sim's DataSessions and UsageRecords. */
export class SimsResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  list(params: ListSimsParams = {}): AsyncGenerator<Sim> {
    return paginate<Sim>(this.http, `${this.baseUrl}/Sims`, 'sims', {
      Iccid: params.iccid,
      Status: params.status,
      RatePlan: params.ratePlan,
      PageSize: params.pageSize,
    });
  }

  /** By SID (DE…) or unique_name. */
  fetch(sidOrUniqueName: string): Promise<Sim> {
    return this.http.get<Sim>(this.url(sidOrUniqueName));
  }

  update(sidOrUniqueName: string, params: UpdateSimParams): Promise<Sim> {
    return this.http.post<Sim>(this.url(sidOrUniqueName), {
      UniqueName: params.uniqueName,
      FriendlyName: params.friendlyName,
      Status: params.status,
      RatePlan: params.ratePlan,
      CommandsCallbackUrl: params.commandsCallbackUrl,
      CommandsCallbackMethod: params.commandsCallbackMethod,
      CallbackUrl: params.callbackUrl,
      CallbackMethod: params.callbackMethod,
    });
  }

  dataSessions(simSid: string, params: { pageSize?: number } = {}): AsyncGenerator<DataSession> {
    return paginate<DataSession>(this.http, `${this.url(simSid)}/DataSessions`, 'data_sessions', {
      PageSize: params.pageSize,
    });
  }

  usageRecords(simSid: string, params: UsageRecordsParams = {}): AsyncGenerator<SimUsageRecord> {
    return paginate<SimUsageRecord>(this.http, `${this.url(simSid)}/UsageRecords`, 'usage_records', usageQuery(params));
  }

  private url(sid: string) {
    return `${this.baseUrl}/Sims/${encodeURIComponent(sid)}`;
  }
}
