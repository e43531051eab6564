import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmsLink } from '../../device/network/index.js';
import { collect, paginate, WirelessHttp, WirelessResponseError } from '../../src/wireless/index.js';
import { startFixture, startWebhookReceiver } from '../device/network/emulator-fixture.js';
import { json, startScriptedServer } from './test-server.js';

// Every resource of the client against the emulator (and the pager against a scripted server).
type Fixture = Awaited<ReturnType<typeof startFixture>>;
let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.close();
});

describe('pagination', () => {
  it('follows absolute next_page_url across pages and keeps the filters', async () => {
    for (let i = 0; i < 5; i++) await f.client.commands.create({ sim: 'gateway-1', command: `c${i}` });
    f.link.sendFromDevice({ to: '2936', text: 'reply' });
    await f.emulator.network.idle();
    const toSim = await collect(f.client.commands.list({ direction: 'to_sim', pageSize: 2 }));
    expect(toSim.map((c) => c.command)).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
    const http = new WirelessHttp({
      credentials: { accountSid: f.emulator.accountSid, authToken: f.emulator.authToken },
    });
    const firstPage = await http.get<{ meta: { next_page_url: string; key: string } }>(
      `${f.emulator.wirelessBaseUrl}/Commands`,
      { Direction: 'to_sim', PageSize: 2 },
    );
    await http.close();
    expect(firstPage.meta.key).toBe('commands');
    expect(firstPage.meta.next_page_url).toMatch(new RegExp(`^${f.emulator.wirelessBaseUrl}/Commands\\?`));
    expect(new URL(firstPage.meta.next_page_url).searchParams.get('Direction')).toBe('to_sim');
  });

  it('collect stops early without fetching further pages', async () => {
    for (let i = 0; i < 3; i++) await f.client.commands.create({ sim: 'gateway-1', command: `c${i}` });
    expect(await collect(f.client.commands.list({ pageSize: 1 }), 2)).toHaveLength(2);
  });

  it('refuses a next_page_url on another origin (the credentials would go there)', async () => {
    const server = await startScriptedServer((_req, _i, res) =>
      json(res, 200, {
        items: [{ n: 1 }],
        meta: { key: 'items', next_page_url: 'http://127.0.0.2:1/v1/Items?Page=1' },
      }),
    );
    const http = new WirelessHttp({ credentials: { accountSid: 'AC1', authToken: 't' } });
    try {
      const items: unknown[] = [];
      const run = async () => {
        for await (const item of paginate(http, `${server.url}/v1/Items`, 'items')) items.push(item);
      };
      await expect(run()).rejects.toThrow(WirelessResponseError);
      expect(items).toEqual([{ n: 1 }]);
      expect(server.seen).toHaveLength(1);
    } finally {
      await http.close();
      await server.close();
    }
  });
});

describe('Wireless resources', () => {
  it('Sims: list by ICCID and status, fetch by SID or unique name, update', async () => {
    const [byIccid] = await collect(f.client.sims.list({ iccid: '8901260000000000001' }));
    expect(byIccid?.unique_name).toBe('gateway-1');
    expect(await collect(f.client.sims.list({ status: 'suspended' }))).toEqual([]);
    expect((await f.client.sims.fetch(byIccid!.sid!)).iccid).toBe('8901260000000000001');
    const updated = await f.client.sims.update('gateway-1', { friendlyName: 'Pump house', status: 'suspended' });
    expect(updated).toMatchObject({ friendly_name: 'Pump house', status: 'suspended' });
  });

  it('RatePlans: list and fetch, messaging_enabled visible', async () => {
    const plans = await collect(f.client.ratePlans.list());
    expect(plans).toEqual([expect.objectContaining({ unique_name: 'default', messaging_enabled: true })]);
    expect((await f.client.ratePlans.fetch('default')).sid).toBe(plans[0]?.sid);
  });

  it('RatePlans: create one without messaging, move the SIM to it (Commands refused with 33203), rename, delete', async () => {
    const plan = await f.client.ratePlans.create({ uniqueName: 'data-only', messagingEnabled: false, dataLimit: 50 });
    expect(plan).toMatchObject({ unique_name: 'data-only', messaging_enabled: false, data_limit: 50 });
    expect(plan.sid).toMatch(/^WP[0-9a-f]{32}$/);
    await f.client.sims.update('gateway-1', { ratePlan: 'data-only' });
    await expect(f.client.commands.create({ sim: 'gateway-1', command: 'x' })).rejects.toMatchObject({ code: 33203 });
    await expect(f.client.ratePlans.delete('data-only')).rejects.toMatchObject({ status: 400 });
    await f.client.sims.update('gateway-1', { ratePlan: 'default' });
    expect((await f.client.ratePlans.update(plan.sid!, { friendlyName: 'Data only' })).friendly_name).toBe('Data only');
    await f.client.ratePlans.delete(plan.sid!);
    await expect(f.client.ratePlans.fetch(plan.sid!)).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('account UsageRecords count the Commands of every SIM, per day', async () => {
    await f.client.commands.create({ sim: 'gateway-1', command: 'abc' });
    await f.emulator.network.idle();
    const records = await collect(
      f.client.usageRecords.list({ granularity: 'daily', start: new Date(Date.now() - 86_400_000) }),
    );
    expect(records.length).toBeGreaterThanOrEqual(2);
    const total = records.reduce((sum, r) => sum + (r.commands?.to_sim ?? 0), 0);
    expect(total).toBe(1);
    expect(records.every((r) => r.account_sid === f.emulator.accountSid)).toBe(true);
  });

  it('a SIM suspended while its Command waits in the queue fails it without reaching the device', async () => {
    // A device that holds the first SMS until released, so the second waits in the SIM's queue.
    let release: () => void = () => undefined;
    const delivered: string[] = [];
    const gated: SmsLink = {
      deliver: (sms) =>
        new Promise((resolve) => {
          release = () => {
            delivered.push('text' in sms ? sms.text : 'binary');
            resolve({ delivered: true });
          };
        }),
      onMobileOriginated: () => () => undefined,
    };
    f.emulator.network.attachLink(f.sim, gated);
    const first = await f.client.commands.create({ sim: 'gateway-1', command: 'one' });
    const second = await f.client.commands.create({ sim: 'gateway-1', command: 'two' });
    await f.emulator.waitForCommand((c) => c.sid === first.sid && c.status === 'sent');
    await f.client.sims.update('gateway-1', { status: 'suspended' });
    release();
    await f.emulator.network.idle();
    expect((await f.client.commands.fetch(first.sid!)).status).toBe('delivered');
    expect((await f.client.commands.fetch(second.sid!)).status).toBe('failed');
    expect(delivered).toEqual(['one']);
  });

  it('CallbackMethod GET calls the CallbackUrl with the fields in the query', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const next = receiver.next();
      const created = await f.client.commands.create({
        sim: 'gateway-1',
        command: 'x',
        callbackUrl: `${receiver.url}/cb?tag=1`,
        callbackMethod: 'GET',
      });
      const callback = await next;
      expect(callback.method).toBe('GET');
      const query = new URL(callback.url, receiver.url).searchParams;
      expect(query.get('tag')).toBe('1');
      expect(query.get('CommandSid')).toBe(created.sid);
      expect(query.get('Status')).toBe('delivered');
    } finally {
      await receiver.close();
    }
  });
});

describe('Super SIM resources', () => {
  it('SmsCommands: create (from 000), fetch, list; an SMS to 000 is a from_sim SmsCommand', async () => {
    const sim = f.sim;
    const created = await f.client.superSim.smsCommands.create({ sim: sim.superSimSid, payload: 'hello super' });
    expect(created).toMatchObject({ status: 'queued', direction: 'to_sim', sim_sid: sim.superSimSid });
    expect(created.sid).toMatch(/^HC[0-9a-f]{32}$/);
    await f.emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    expect(f.link.received).toEqual([{ from: '000', text: 'hello super' }]);
    f.link.sendFromDevice({ to: '000', text: 'ok' });
    const fromSim = await collect(f.client.superSim.smsCommands.list({ direction: 'from_sim' }));
    expect(fromSim).toEqual([expect.objectContaining({ payload: 'ok', status: 'received', sim_sid: sim.superSimSid })]);
    expect((await f.client.superSim.smsCommands.fetch(created.sid!)).status).toBe('delivered');
    // Super SIM and Wireless Commands are separate lists.
    expect(await collect(f.client.commands.list())).toEqual([]);
  });

  it('SmsCommands payload over 160 characters is refused', async () => {
    const error = await f.client.superSim.smsCommands
      .create({ sim: f.sim.superSimSid, payload: 'x'.repeat(161) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 20001 });
  });

  it('Sims: list by ICCID, fetch, update to inactive (maps to suspended)', async () => {
    const [sim] = await collect(f.client.superSim.sims.list({ iccid: '8901260000000000001' }));
    expect(sim).toMatchObject({ sid: f.sim.superSimSid, status: 'active' });
    const updated = await f.client.superSim.sims.update(f.sim.superSimSid, { status: 'inactive' });
    expect(updated.status).toBe('inactive');
    expect((await f.client.sims.fetch(f.sim.sid)).status).toBe('suspended');
  });
});
