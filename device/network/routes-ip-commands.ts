import { ApiError } from './api-errors.js';
import { optionalEnum, optionalMethod, optionalUrl, requiredString } from './form.js';
import { devicePortParam, type IpCommandService, ipCommandJson } from './ip-commands.js';
import { pageOf } from './paging.js';
import type { Route } from './route.js';

/**
 * `/v1/IpCommands` of Super SIM (twilio_supersim_v1.json: CreateIpCommand, ListIpCommand with Sim, SimIccid, Status,
 * Direction and paging, FetchIpCommand). The service (ip-commands.ts) does the UDP side.
 */
export function ipCommandRoutes(service: IpCommandService): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/IpCommands$/,
      handle(context) {
        const { form, network } = context;
        const sim = requiredString(form, 'Sim');
        const payload = requiredString(form, 'Payload');
        const devicePort = devicePortParam(form);
        const payloadType = optionalEnum(form, 'PayloadType', ['text', 'binary'] as const) ?? 'text';
        const record = service.create({
          sim,
          payload,
          devicePort,
          payloadType,
          callbackUrl: optionalUrl(form, 'CallbackUrl') ?? null,
          callbackMethod: optionalMethod(form, 'CallbackMethod') ?? 'POST',
        });
        const body = ipCommandJson(record, network.sims.get(record.simSid), network.accountSid, context.base);
        return { status: 201, body };
      },
    },
    {
      method: 'GET',
      path: /^\/IpCommands$/,
      handle(context) {
        const { query, network } = context;
        const simRef = query.get('Sim');
        const iccid = query.get('SimIccid');
        const bySid = simRef === null ? undefined : network.findSim(simRef, 'supersim');
        const byIccid = iccid === null ? undefined : [...network.sims.values()].find((s) => s.iccid === iccid);
        const status = optionalEnum(query, 'Status', ['queued', 'sent', 'received', 'failed'] as const);
        const direction = optionalEnum(query, 'Direction', ['to_sim', 'from_sim'] as const);
        const unknownSim = (simRef !== null && !bySid) || (iccid !== null && !byIccid);
        const conflicting = bySid && byIccid && bySid !== byIccid;
        const records = unknownSim || conflicting ? [] : service.list({ sim: bySid ?? byIccid, status, direction });
        const items = records.map((r) =>
          ipCommandJson(r, network.sims.get(r.simSid), network.accountSid, context.base),
        );
        return {
          status: 200,
          body: pageOf(items, { listUrl: `${context.base}/IpCommands`, query, key: 'ip_commands' }),
        };
      },
    },
    {
      method: 'GET',
      path: /^\/IpCommands\/([^/]+)$/,
      handle(context) {
        const sid = context.params[0] ?? '';
        const record = service.find(sid);
        if (!record) throw new ApiError('notFound', `The requested resource /IpCommands/${sid} was not found`);
        const { network } = context;
        return {
          status: 200,
          body: ipCommandJson(record, network.sims.get(record.simSid), network.accountSid, context.base),
        };
      },
    },
  ];
}
