import { ApiError } from './api-errors.js';
import { optionalEnum, optionalMethod, optionalString, optionalUrl, requiredString } from './form.js';
import { pageOf } from './paging.js';
import { type SimRecord, type SimStatus, superSimStatus } from './records.js';
import { smsCommandJson, superSimJson } from './representations.js';
import type { Route, RouteContext } from './route.js';

/**
 * Super SIM v1 (twilio_supersim_v1.json): SmsCommands (create, list, fetch) and Sims (list, fetch, update). The
 * emulator keeps one record per physical SIM; its Super SIM face has the HS… SID and the Super SIM status enum.
 */

function notFound(what: string, ref: string): ApiError {
  return new ApiError('notFound', `The requested resource /${what}/${ref} was not found`);
}

function superSim(context: RouteContext, ref: string | undefined): SimRecord {
  const found = ref ? context.network.findSim(ref, 'supersim') : undefined;
  if (!found) throw notFound('Sims', ref ?? '');
  return found;
}

/** sim_enum_status_update (ready | active | inactive) onto the emulator's Wireless status. */
const FROM_SUPER_SIM_STATUS: Record<'ready' | 'active' | 'inactive', SimStatus> = {
  ready: 'ready',
  active: 'active',
  inactive: 'suspended',
};

export const superSimRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/SmsCommands$/,
    handle(context) {
      const { form, network } = context;
      const sim = requiredString(form, 'Sim');
      const payload = requiredString(form, 'Payload');
      const record = network.createCommand({
        product: 'supersim',
        sim,
        command: payload,
        mode: 'text',
        includeSid: 'none',
        deliveryReceiptRequested: true,
        callbackUrl: optionalUrl(form, 'CallbackUrl') ?? null,
        callbackMethod: optionalMethod(form, 'CallbackMethod') ?? 'POST',
      });
      const simRecord = network.sims.get(record.simSid);
      const body = smsCommandJson(record, simRecord?.superSimSid ?? '', network.accountSid, context.base);
      return { status: 201, body };
    },
  },
  {
    method: 'GET',
    path: /^\/SmsCommands$/,
    handle(context) {
      const { query, network } = context;
      const simRef = query.get('Sim');
      const sim = simRef === null ? undefined : network.findSim(simRef, 'supersim');
      const status = optionalEnum(query, 'Status', ['queued', 'sent', 'delivered', 'received', 'failed'] as const);
      const direction = optionalEnum(query, 'Direction', ['to_sim', 'from_sim'] as const);
      const records = simRef !== null && !sim ? [] : network.listCommands('supersim', { sim, status, direction });
      const items = records.map((r) =>
        smsCommandJson(r, network.sims.get(r.simSid)?.superSimSid ?? '', network.accountSid, context.base),
      );
      const listUrl = `${context.base}/SmsCommands`;
      return { status: 200, body: pageOf(items, { listUrl, query, key: 'sms_commands' }) };
    },
  },
  {
    method: 'GET',
    path: /^\/SmsCommands\/([^/]+)$/,
    handle(context) {
      const sid = context.params[0] ?? '';
      const record = context.network.findCommand('supersim', sid);
      if (!record) throw notFound('SmsCommands', sid);
      const superSimSid = context.network.sims.get(record.simSid)?.superSimSid ?? '';
      return { status: 200, body: smsCommandJson(record, superSimSid, context.network.accountSid, context.base) };
    },
  },
  {
    method: 'GET',
    path: /^\/Sims$/,
    handle(context) {
      const { query, network } = context;
      const status = optionalEnum(query, 'Status', ['new', 'ready', 'active', 'inactive', 'scheduled'] as const);
      const iccid = query.get('Iccid');
      const items = [...network.sims.values()]
        .filter((s) => (!status || superSimStatus(s.status) === status) && (iccid === null || s.iccid === iccid))
        .map((s) => superSimJson(s, network.accountSid, context.base));
      return { status: 200, body: pageOf(items, { listUrl: `${context.base}/Sims`, query, key: 'sims' }) };
    },
  },
  {
    method: 'GET',
    path: /^\/Sims\/([^/]+)$/,
    handle(context) {
      const sim = superSim(context, context.params[0]);
      return { status: 200, body: superSimJson(sim, context.network.accountSid, context.base) };
    },
  },
  {
    method: 'POST',
    path: /^\/Sims\/([^/]+)$/,
    handle(context) {
      const sim = superSim(context, context.params[0]);
      const status = optionalEnum(context.form, 'Status', ['ready', 'active', 'inactive'] as const);
      const uniqueName = optionalString(context.form, 'UniqueName');
      if (status) sim.status = FROM_SUPER_SIM_STATUS[status];
      if (uniqueName !== undefined) sim.uniqueName = uniqueName || null;
      sim.updated = context.now();
      return { status: 200, body: superSimJson(sim, context.network.accountSid, context.base) };
    },
  },
];
