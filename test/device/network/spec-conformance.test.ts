import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../../device/network/index.js';
import { loadSpec, validateErrorBody, validateResponse } from './openapi-validator.js';

// Every response the emulator serves, checked against the published OpenAPI specs (test/fixtures/api-*.json).
const wireless = loadSpec('wireless');
const supersim = loadSpec('supersim');
let emulator: WirelessEmulator;
let auth: string;
let simSid: string;
let superSimSid: string;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, form?: Record<string, string>) {
  const response = await request(url, {
    method,
    headers: {
      authorization: auth,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

beforeAll(async () => {
  const link = new MemorySmsLink({ imei: '356938035643809' });
  emulator = await startWirelessEmulator({ sims: [{ iccid: '8901260000000000001', uniqueName: 'gw', link }] });
  auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
  const sim = emulator.network.findSim('gw')!;
  simSid = sim.sid;
  superSimSid = sim.superSimSid;
  // Traffic in both directions, so lists, data sessions and usage have content.
  await call('POST', `${emulator.wirelessBaseUrl}/Commands`, { Sim: 'gw', Command: 'hello' });
  await call('POST', `${emulator.wirelessBaseUrl}/Commands`, { Sim: 'gw', Command: 'AAEC', CommandMode: 'binary' });
  await call('POST', `${emulator.superSimBaseUrl}/SmsCommands`, { Sim: superSimSid, Payload: 'hi super' });
  link.sendFromDevice({ to: '2936', text: 'reply' });
  link.sendFromDevice({ to: '000', text: 'super reply' });
  await emulator.network.idle();
});

afterAll(async () => {
  await emulator.close();
});

describe('Wireless v1 responses validate against twilio_wireless_v1.json', () => {
  const cases: Array<[string, 'GET' | 'POST' | 'DELETE', string, () => string, Record<string, string>?]> = [
    ['create Command', 'POST', '/v1/Commands', () => '/Commands', { Sim: 'gw', Command: 'x', IncludeSid: 'end' }],
    ['list Commands', 'GET', '/v1/Commands', () => '/Commands?PageSize=2'],
    ['list Commands filtered', 'GET', '/v1/Commands', () => '/Commands?Direction=from_sim&Status=received'],
    ['fetch Sim', 'GET', '/v1/Sims/{Sid}', () => `/Sims/${simSid}`],
    ['list Sims by ICCID', 'GET', '/v1/Sims', () => '/Sims?Iccid=8901260000000000001'],
    ['update Sim', 'POST', '/v1/Sims/{Sid}', () => `/Sims/${simSid}`, { CommandsCallbackUrl: 'http://127.0.0.1:9/cb' }],
    ['list RatePlans', 'GET', '/v1/RatePlans', () => '/RatePlans'],
    ['create RatePlan', 'POST', '/v1/RatePlans', () => '/RatePlans', { UniqueName: 'p2', MessagingEnabled: 'false' }],
    ['update RatePlan', 'POST', '/v1/RatePlans/{Sid}', () => '/RatePlans/p2', { FriendlyName: 'Plan 2' }],
    ['list DataSessions', 'GET', '/v1/Sims/{SimSid}/DataSessions', () => `/Sims/${simSid}/DataSessions`],
    ['Sim UsageRecords', 'GET', '/v1/Sims/{SimSid}/UsageRecords', () => `/Sims/${simSid}/UsageRecords`],
    [
      'Sim UsageRecords daily',
      'GET',
      '/v1/Sims/{SimSid}/UsageRecords',
      () => `/Sims/${simSid}/UsageRecords?Granularity=daily`,
    ],
    ['account UsageRecords', 'GET', '/v1/UsageRecords', () => '/UsageRecords?Granularity=hourly&PageSize=5'],
  ];
  for (const [name, method, template, path, form] of cases) {
    it(name, async () => {
      const { status, body } = await call(method, `${emulator.wirelessBaseUrl}${path()}`, form);
      expect(status).toBeLessThan(300);
      expect(validateResponse(wireless, method, template, status, body)).toEqual([]);
    });
  }

  it('fetch Command, fetch RatePlan, delete Command (204, no body)', async () => {
    const list = await call('GET', `${emulator.wirelessBaseUrl}/Commands`);
    const first = (list.body!.commands as Array<{ sid: string }>)[0]!;
    const fetched = await call('GET', `${emulator.wirelessBaseUrl}/Commands/${first.sid}`);
    expect(validateResponse(wireless, 'GET', '/v1/Commands/{Sid}', fetched.status, fetched.body)).toEqual([]);
    const plans = await call('GET', `${emulator.wirelessBaseUrl}/RatePlans`);
    const plan = (plans.body!.rate_plans as Array<{ sid: string }>)[0]!;
    const fetchedPlan = await call('GET', `${emulator.wirelessBaseUrl}/RatePlans/${plan.sid}`);
    expect(validateResponse(wireless, 'GET', '/v1/RatePlans/{Sid}', fetchedPlan.status, fetchedPlan.body)).toEqual([]);
    const deleted = await call('DELETE', `${emulator.wirelessBaseUrl}/Commands/${first.sid}`);
    expect(validateResponse(wireless, 'DELETE', '/v1/Commands/{Sid}', deleted.status, deleted.body)).toEqual([]);
  });
});

describe('Super SIM v1 responses validate against twilio_supersim_v1.json', () => {
  const cases: Array<[string, 'GET' | 'POST', string, () => string, Record<string, string>?]> = [
    ['create SmsCommand', 'POST', '/v1/SmsCommands', () => '/SmsCommands', { Sim: 'gw', Payload: 'x' }],
    ['list SmsCommands', 'GET', '/v1/SmsCommands', () => '/SmsCommands?Direction=from_sim'],
    ['list Sims', 'GET', '/v1/Sims', () => '/Sims?Status=active'],
    ['fetch Sim', 'GET', '/v1/Sims/{Sid}', () => `/Sims/${superSimSid}`],
    ['update Sim', 'POST', '/v1/Sims/{Sid}', () => `/Sims/${superSimSid}`, { UniqueName: 'gw' }],
  ];
  for (const [name, method, template, path, form] of cases) {
    it(name, async () => {
      const { status, body } = await call(method, `${emulator.superSimBaseUrl}${path()}`, form);
      expect(status).toBeLessThan(300);
      expect(validateResponse(supersim, method, template, status, body)).toEqual([]);
    });
  }
});

describe('errors are in the API error shape', () => {
  it.each([
    ['GET', '/v1/Nope', 404],
    ['GET', '/v1/Commands/DC00000000000000000000000000000000', 404],
    ['POST', '/v1/Commands', 400],
    ['PUT', '/v1/Commands', 405],
    ['GET', '/supersim/v1/SmsCommands/HCnope', 404],
  ])('%s %s → %i', async (method, path, expected) => {
    const response = await request(`${emulator.url}${path}`, { method, headers: { authorization: auth } });
    const body = (await response.body.json()) as unknown;
    expect(response.statusCode).toBe(expected);
    expect(validateErrorBody(body, expected)).toEqual([]);
  });

  it('401 with code 20003 and a Basic challenge without credentials', async () => {
    const response = await request(`${emulator.wirelessBaseUrl}/Sims`);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Basic');
    const body = (await response.body.json()) as { code: number };
    expect(validateErrorBody(body, 401)).toEqual([]);
    expect(body.code).toBe(20003);
  });
});
