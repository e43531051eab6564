import { ApiError, invalidParameter } from './api-errors.js';
import { optionalBoolean, optionalString } from './form.js';
import { pageOf } from './paging.js';
import type { RatePlanRecord } from './records.js';
import { ratePlanJson } from './representations.js';
import type { Route, RouteContext } from './route.js';

/** Wireless v1 RatePlans: list, fetch, create, update (names), delete (twilio_wireless_v1.json /v1/RatePlans…). */

function plan(context: RouteContext): RatePlanRecord {
  const ref = context.params[0] ?? '';
  const found = context.network.findRatePlan(ref);
  if (!found) throw new ApiError('notFound', `The requested resource /RatePlans/${ref} was not found`);
  return found;
}

function uniqueName(context: RouteContext, current: RatePlanRecord | undefined): string | undefined {
  const name = optionalString(context.form, 'UniqueName');
  if (!name) return name;
  const other = context.network.findRatePlan(name);
  if (other && other !== current) throw invalidParameter('UniqueName', `${name} is already used by ${other.sid}`);
  return name;
}

function optionalInteger(form: URLSearchParams, name: string): number | undefined {
  const raw = form.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw invalidParameter(name, `must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

const json = (context: RouteContext, record: RatePlanRecord) =>
  ratePlanJson(record, context.network.accountSid, context.base);

export const ratePlanRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/RatePlans$/,
    handle(context) {
      const items = [...context.network.ratePlans.values()].map((p) => json(context, p));
      const listUrl = `${context.base}/RatePlans`;
      return { status: 200, body: pageOf(items, { listUrl, query: context.query, key: 'rate_plans' }) };
    },
  },
  {
    method: 'GET',
    path: /^\/RatePlans\/([^/]+)$/,
    handle: (context) => ({ status: 200, body: json(context, plan(context)) }),
  },
  {
    method: 'POST',
    path: /^\/RatePlans$/,
    handle(context) {
      const { form } = context;
      const record = context.network.addRatePlan({
        uniqueName: uniqueName(context, undefined),
        friendlyName: optionalString(form, 'FriendlyName'),
        messagingEnabled: optionalBoolean(form, 'MessagingEnabled'),
        dataEnabled: optionalBoolean(form, 'DataEnabled'),
      });
      const dataLimit = optionalInteger(form, 'DataLimit');
      if (dataLimit !== undefined) record.dataLimit = dataLimit;
      const metering = optionalString(form, 'DataMetering');
      if (metering) record.dataMetering = metering;
      const national = optionalBoolean(form, 'NationalRoamingEnabled');
      if (national !== undefined) record.nationalRoamingEnabled = national;
      if (form.has('InternationalRoaming')) record.internationalRoaming = form.getAll('InternationalRoaming');
      return { status: 201, body: json(context, record) };
    },
  },
  {
    method: 'POST',
    path: /^\/RatePlans\/([^/]+)$/,
    handle(context) {
      const record = plan(context);
      const name = uniqueName(context, record);
      const friendly = optionalString(context.form, 'FriendlyName');
      if (name !== undefined) record.uniqueName = name || null;
      if (friendly !== undefined) record.friendlyName = friendly || null;
      record.updated = context.now();
      return { status: 200, body: json(context, record) };
    },
  },
  {
    method: 'DELETE',
    path: /^\/RatePlans\/([^/]+)$/,
    handle(context) {
      const record = plan(context);
      const user = [...context.network.sims.values()].find((s) => s.ratePlanSid === record.sid);
      if (user) throw invalidParameter('RatePlan', `${record.sid} is still assigned to SIM ${user.sid}`);
      context.network.ratePlans.delete(record.sid);
      return { status: 204 };
    },
  },
];
