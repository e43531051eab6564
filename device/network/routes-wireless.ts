import { ApiError } from './api-errors.js';
import { optionalBoolean, optionalEnum, optionalMethod, optionalString, optionalUrl, requiredString } from './form.js';
import { pageOf } from './paging.js';
import { SIM_STATUSES, type SimRecord } from './records.js';
import { commandJson, dataSessionJson, simJson } from './representations.js';
import type { Route, RouteContext } from './route.js';
import { ratePlanRoutes } from './routes-rate-plans.js';
import { usageIn, usagePeriods } from './usage.js';

/** Wireless API v1 (twilio_wireless_v1.json paths): Commands, Sims, RatePlans, DataSessions, UsageRecords. */

const COMMAND_STATUSES = ['queued', 'sent', 'delivered', 'received', 'failed'] as const;

function notFound(what: string, ref: string): ApiError {
  return new ApiError('notFound', `The requested resource /${what}/${ref} was not found`);
}

function sim(context: RouteContext, ref: string | undefined): SimRecord {
  const found = ref ? context.network.findSim(ref, 'wireless') : undefined;
  if (!found) throw notFound('Sims', ref ?? '');
  return found;
}

function listUrl(context: RouteContext, path: string) {
  return `${context.base}${path}`;
}

const commands: Route[] = [
  {
    method: 'POST',
    path: /^\/Commands$/,
    handle(context) {
      const { form, network } = context;
      const command = requiredString(form, 'Command');
      const record = network.createCommand({
        product: 'wireless',
        command,
        sim: optionalString(form, 'Sim'),
        mode: optionalEnum(form, 'CommandMode', ['text', 'binary'] as const) ?? 'text',
        includeSid: optionalEnum(form, 'IncludeSid', ['none', 'start', 'end'] as const) ?? 'none',
        deliveryReceiptRequested: optionalBoolean(form, 'DeliveryReceiptRequested') ?? true,
        callbackUrl: optionalUrl(form, 'CallbackUrl') ?? null,
        callbackMethod: optionalMethod(form, 'CallbackMethod') ?? 'POST',
      });
      return { status: 201, body: commandJson(record, network.accountSid, context.base) };
    },
  },
  {
    method: 'GET',
    path: /^\/Commands$/,
    handle(context) {
      const { query, network } = context;
      const simRef = query.get('Sim');
      const filterSim = simRef === null ? undefined : network.findSim(simRef, 'wireless');
      const transport = optionalEnum(query, 'Transport', ['sms', 'ip'] as const);
      const status = optionalEnum(query, 'Status', COMMAND_STATUSES);
      const direction = optionalEnum(query, 'Direction', ['to_sim', 'from_sim'] as const);
      // An unknown Sim filter matches nothing; every emulated Command travels by SMS.
      const records =
        (simRef !== null && !filterSim) || transport === 'ip'
          ? []
          : network.listCommands('wireless', { sim: filterSim, status, direction });
      const items = records.map((r) => commandJson(r, network.accountSid, context.base));
      return { status: 200, body: pageOf(items, { listUrl: listUrl(context, '/Commands'), query, key: 'commands' }) };
    },
  },
  {
    method: 'GET',
    path: /^\/Commands\/([^/]+)$/,
    handle(context) {
      const sid = context.params[0] ?? '';
      const record = context.network.findCommand('wireless', sid);
      if (!record) throw notFound('Commands', sid);
      return { status: 200, body: commandJson(record, context.network.accountSid, context.base) };
    },
  },
  {
    method: 'DELETE',
    path: /^\/Commands\/([^/]+)$/,
    handle(context) {
      const sid = context.params[0] ?? '';
      const record = context.network.findCommand('wireless', sid);
      if (!record) throw notFound('Commands', sid);
      context.network.deleteCommand(record);
      return { status: 204 };
    },
  },
];

const sims: Route[] = [
  {
    method: 'GET',
    path: /^\/Sims$/,
    handle(context) {
      const { query, network } = context;
      const status = optionalEnum(query, 'Status', SIM_STATUSES);
      const iccid = query.get('Iccid');
      const ratePlan = query.get('RatePlan');
      const plan = ratePlan === null ? undefined : network.findRatePlan(ratePlan);
      const items = [...network.sims.values()]
        .filter(
          (s) =>
            (!status || s.status === status) &&
            (iccid === null || s.iccid === iccid) &&
            (ratePlan === null || (plan !== undefined && s.ratePlanSid === plan.sid)),
        )
        .map((s) => simJson(s, network.accountSid, context.base));
      return { status: 200, body: pageOf(items, { listUrl: listUrl(context, '/Sims'), query, key: 'sims' }) };
    },
  },
  {
    method: 'GET',
    path: /^\/Sims\/([^/]+)$/,
    handle(context) {
      return { status: 200, body: simJson(sim(context, context.params[0]), context.network.accountSid, context.base) };
    },
  },
  {
    method: 'POST',
    path: /^\/Sims\/([^/]+)$/,
    handle(context) {
      const { form, network } = context;
      const record = sim(context, context.params[0]);
      const status = optionalEnum(form, 'Status', SIM_STATUSES);
      const uniqueName = optionalString(form, 'UniqueName');
      const ratePlanRef = optionalString(form, 'RatePlan');
      const callbackUrl = optionalUrl(form, 'CommandsCallbackUrl');
      const callbackMethod = optionalMethod(form, 'CommandsCallbackMethod');
      const plan = ratePlanRef === undefined ? undefined : network.findRatePlan(ratePlanRef);
      if (ratePlanRef !== undefined && !plan) throw notFound('RatePlans', ratePlanRef);
      if (uniqueName) {
        const other = network.findSim(uniqueName);
        if (other && other !== record)
          throw new ApiError('invalidParameter', `UniqueName ${uniqueName} is already used`);
      }
      if (status !== undefined) record.status = status;
      if (uniqueName !== undefined) record.uniqueName = uniqueName || null;
      const friendlyName = optionalString(form, 'FriendlyName');
      if (friendlyName !== undefined) record.friendlyName = friendlyName || null;
      if (plan) record.ratePlanSid = plan.sid;
      if (callbackUrl !== undefined) record.commandsCallbackUrl = callbackUrl;
      if (callbackMethod !== undefined) record.commandsCallbackMethod = callbackMethod;
      record.updated = context.now();
      return { status: 200, body: simJson(record, network.accountSid, context.base) };
    },
  },
  {
    method: 'GET',
    path: /^\/Sims\/([^/]+)\/DataSessions$/,
    handle(context) {
      const record = sim(context, context.params[0]);
      const items = [...record.dataSessions]
        .reverse()
        .map((s) => dataSessionJson(s, record.sid, context.network.accountSid));
      const url = listUrl(context, `/Sims/${record.sid}/DataSessions`);
      return { status: 200, body: pageOf(items, { listUrl: url, query: context.query, key: 'data_sessions' }) };
    },
  },
  {
    method: 'GET',
    path: /^\/Sims\/([^/]+)\/UsageRecords$/,
    handle(context) {
      const record = sim(context, context.params[0]);
      const mine = context.network.commands.filter((c) => c.product === 'wireless' && c.simSid === record.sid);
      const items = usagePeriods(context.query, context.now()).map((period) => ({
        sim_sid: record.sid,
        account_sid: context.network.accountSid,
        ...usageIn(mine, period),
      }));
      const url = listUrl(context, `/Sims/${record.sid}/UsageRecords`);
      return { status: 200, body: pageOf(items, { listUrl: url, query: context.query, key: 'usage_records' }) };
    },
  },
];

const account: Route[] = [
  {
    method: 'GET',
    path: /^\/UsageRecords$/,
    handle(context) {
      const all = context.network.commands.filter((c) => c.product === 'wireless');
      const items = usagePeriods(context.query, context.now()).map((period) => ({
        account_sid: context.network.accountSid,
        ...usageIn(all, period),
      }));
      const url = listUrl(context, '/UsageRecords');
      return { status: 200, body: pageOf(items, { listUrl: url, query: context.query, key: 'usage_records' }) };
    },
  },
];

export const wirelessRoutes: Route[] = [...commands, ...sims, ...ratePlanRoutes, ...account];
