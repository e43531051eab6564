import type { WirelessHttp } from '../http.js';
import { paginate } from '../paginate.js';
import type { CommandDirection, CommandStatus, HttpMethod, SmsCommand, SuperSim, SuperSimStatus } from '../types.js';

/** POST /v1/SmsCommands (Super SIM): `payload` is text only, at most 160 characters (FACTS.md). */
export interface CreateSmsCommandParams {
  sim: string;
  payload: string;
  callbackUrl?: string;
  callbackMethod?: HttpMethod;
}

export class SmsCommandsResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  create(params: CreateSmsCommandParams): Promise<SmsCommand> {
    return this.http.post<SmsCommand>(`${this.baseUrl}/SmsCommands`, {
      Sim: params.sim,
      Payload: params.payload,
      CallbackUrl: params.callbackUrl,
      CallbackMethod: params.callbackMethod,
    });
  }

  list(
    params: { sim?: string; status?: CommandStatus; direction?: CommandDirection; pageSize?: number } = {},
  ): AsyncGenerator<SmsCommand> {
    return paginate<SmsCommand>(this.http, `${this.baseUrl}/SmsCommands`, 'sms_commands', {
      Sim: params.sim,
      Status: params.status,
      Direction: params.direction,
      PageSize: params.pageSize,
    });
  }

  fetch(sid: string): Promise<SmsCommand> {
    return this.http.get<SmsCommand>(`${this.baseUrl}/SmsCommands/${encodeURIComponent(sid)}`);
  }
}

export class SuperSimsResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  list(
    params: { iccid?: string; status?: SuperSimStatus; fleet?: string; pageSize?: number } = {},
  ): AsyncGenerator<SuperSim> {
    return paginate<SuperSim>(this.http, `${this.baseUrl}/Sims`, 'sims', {
      Iccid: params.iccid,
      Status: params.status,
      Fleet: params.fleet,
      PageSize: params.pageSize,
    });
  }

  fetch(sidOrUniqueName: string): Promise<SuperSim> {
    return this.http.get<SuperSim>(`${this.baseUrl}/Sims/${encodeURIComponent(sidOrUniqueName)}`);
  }

  /** Status: ready | active | inactive (sim_enum_status_update). */
  update(
    sidOrUniqueName: string,
    params: { uniqueName?: string; status?: 'ready' | 'active' | 'inactive'; callbackUrl?: string },
  ): Promise<SuperSim> {
    return this.http.post<SuperSim>(`${this.baseUrl}/Sims/${encodeURIComponent(sidOrUniqueName)}`, {
      UniqueName: params.uniqueName,
      Status: params.status,
      CallbackUrl: params.callbackUrl,
    });
  }
}
