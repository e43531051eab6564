import type { WirelessHttp } from '../http.js';
import { paginate } from '../paginate.js';
import type { Command, CommandDirection, CommandMode, CommandStatus, CommandTransport, HttpMethod } from '../types.js';

/** POST /v1/Commands (CreateCommand). `command` is text, or base64 in binary mode. */
export interface CreateCommandParams {
  command: string;
  /** Sim SID (DE…) or unique_name. */
  sim?: string;
  commandMode?: CommandMode;
  /** none | start | end: the Command SID is added to the text with one space (FACTS.md). */
  includeSid?: 'none' | 'start' | 'end';
  callbackUrl?: string;
  callbackMethod?: HttpMethod;
  deliveryReceiptRequested?: boolean;
}

/** GET /v1/Commands filters (ListCommand). */
export interface ListCommandsParams {
  sim?: string;
  status?: CommandStatus;
  direction?: CommandDirection;
  transport?: CommandTransport;
  pageSize?: number;
}

/** Wireless v1 Commands: create, list (async iterator over all pages), fetch, delete. */
export class CommandsResource {
  constructor(
    private readonly http: WirelessHttp,
    private readonly baseUrl: string,
  ) {}

  create(params: CreateCommandParams): Promise<Command> {
    return this.http.post<Command>(`${this.baseUrl}/Commands`, {
      Command: params.command,
      Sim: params.sim,
      CommandMode: params.commandMode,
      IncludeSid: params.includeSid,
      CallbackUrl: params.callbackUrl,
      CallbackMethod: params.callbackMethod,
      DeliveryReceiptRequested: params.deliveryReceiptRequested,
    });
  }

  list(params: ListCommandsParams = {}): AsyncGenerator<Command> {
    return paginate<Command>(this.http, `${this.baseUrl}/Commands`, 'commands', {
      Sim: params.sim,
      Status: params.status,
      Direction: params.direction,
      Transport: params.transport,
      PageSize: params.pageSize,
    });
  }

  fetch(sid: string): Promise<Command> {
    return this.http.get<Command>(`${this.baseUrl}/Commands/${encodeURIComponent(sid)}`);
  }

  delete(sid: string): Promise<void> {
    return this.http.delete(`${this.baseUrl}/Commands/${encodeURIComponent(sid)}`);
  }
}
