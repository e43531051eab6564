import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WirelessApiError } from '../../../src/wireless/index.js';
import { startFixture } from './emulator-fixture.js';

type Fixture = Awaited<ReturnType<typeof startFixture>>;

async function apiError(promise: Promise<unknown>): Promise<WirelessApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WirelessApiError);
  return error as WirelessApiError;
}

describe('emulator: POST /v1/Commands to a SIM', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('answers 201 queued with a DC sid, then the SIM gets the text from 2936 and the Command is delivered', async () => {
    const created = await f.client.commands.create({ sim: 'gateway-1', command: 'reboot now' });
    expect(created.sid).toMatch(/^DC[0-9a-f]{32}$/);
    expect(created).toMatchObject({ status: 'queued', direction: 'to_sim', command_mode: 'text', transport: 'sms' });
    expect(created.sim_sid).toBe(f.sim.sid);
    await f.emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    expect(f.link.received).toEqual([{ from: '2936', text: 'reboot now' }]);
    expect((await f.client.commands.fetch(created.sid!)).status).toBe('delivered');
  });

  it('IncludeSid adds the SID and one space at the start or the end', async () => {
    const start = await f.client.commands.create({ sim: f.sim.sid, command: 'ping', includeSid: 'start' });
    const end = await f.client.commands.create({ sim: f.sim.sid, command: 'pong', includeSid: 'end' });
    await f.emulator.waitForCommand((c) => c.sid === end.sid && c.status === 'delivered');
    expect(f.link.received).toEqual([
      { from: '2936', text: `${start.sid} ping` },
      { from: '2936', text: `pong ${end.sid}` },
    ]);
  });

  it('binary mode delivers the decoded bytes', async () => {
    const created = await f.client.commands.create({ sim: 'gateway-1', command: 'AAEC/w==', commandMode: 'binary' });
    expect(created.command_mode).toBe('binary');
    await f.emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    expect(f.link.received).toEqual([{ from: '2936', bytes: new Uint8Array([0, 1, 2, 255]) }]);
  });

  it('without a delivery receipt the Command stays sent', async () => {
    const created = await f.client.commands.create({ sim: 'gateway-1', command: 'x', deliveryReceiptRequested: false });
    const done = await f.emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'sent');
    await f.emulator.network.idle();
    expect(done.status).toBe('sent');
    expect(f.link.received).toHaveLength(1);
  });

  it('fails the Command when the device cannot take it (SIM absent)', async () => {
    f.link.failure = 'SIM absent';
    const created = await f.client.commands.create({ sim: 'gateway-1', command: 'x' });
    await f.emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'failed');
    expect((await f.client.commands.fetch(created.sid!)).status).toBe('failed');
  });

  it('a suspended SIM stops receiving: 400 with 33104, and nothing reaches the device', async () => {
    await f.client.sims.update('gateway-1', { status: 'suspended' });
    const error = await apiError(f.client.commands.create({ sim: 'gateway-1', command: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 33104 });
    expect(f.link.received).toHaveLength(0);
  });

  it('a throwing event listener does not break the request; it is reported on listener-error', async () => {
    const reported: unknown[] = [];
    f.emulator.network.on('listener-error', (event: { event: string }) => reported.push(event.event));
    f.emulator.network.on('command', () => {
      throw new Error('listener bug');
    });
    const created = await f.client.commands.create({ sim: 'gateway-1', command: 'x' });
    expect(created.status).toBe('queued');
    // Later listeners still run (waitForCommand subscribes after the throwing one).
    await f.emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    expect(f.link.received).toHaveLength(1);
    expect(reported).toContain('command');
  });

  it('deletes a Command (204), after which fetching it is a 404 with 20404', async () => {
    const created = await f.client.commands.create({ sim: 'gateway-1', command: 'x' });
    await f.emulator.network.idle();
    await f.client.commands.delete(created.sid!);
    const error = await apiError(f.client.commands.fetch(created.sid!));
    expect(error).toMatchObject({ status: 404, code: 20404 });
    expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/20404');
  });
});

describe('emulator: invalid Commands get 400 in the API error shape', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture({
      ratePlans: [{ uniqueName: 'default' }, { uniqueName: 'data-only', messagingEnabled: false }],
    });
  });
  afterEach(async () => {
    await f.close();
  });

  const cases: Array<[string, Parameters<Fixture['client']['commands']['create']>[0], number, RegExp]> = [
    ['text over 160 characters', { sim: 'gateway-1', command: 'a'.repeat(161) }, 20001, /161 characters/],
    [
      'IncludeSid pushing 126 characters past 160',
      { sim: 'gateway-1', command: 'a'.repeat(126), includeSid: 'end' },
      20001,
      /161 characters/,
    ],
    [
      'binary over 140 bytes',
      { sim: 'gateway-1', command: Buffer.alloc(141).toString('base64'), commandMode: 'binary' },
      20001,
      /141 bytes/,
    ],
    ['bad base64', { sim: 'gateway-1', command: 'not base64!', commandMode: 'binary' }, 20001, /base64/],
    ['missing Command', { sim: 'gateway-1', command: '' }, 20001, /Command/],
    ['missing Sim', { command: 'x' }, 20001, /Sim/],
    ['unknown Sim', { sim: 'nope', command: 'x' }, 33107, /nope/],
  ];
  for (const [name, params, code, message] of cases) {
    it(name, async () => {
      const error = await apiError(f.client.commands.create(params));
      expect(error.status).toBe(400);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }

  it('160 characters exactly are accepted, emoji counting as one character each', async () => {
    await expect(f.client.commands.create({ sim: 'gateway-1', command: '😀'.repeat(160) })).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it('a Super SIM SID does not address the Wireless API (33107)', async () => {
    const error = await apiError(f.client.commands.create({ sim: f.sim.superSimSid, command: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 33107 });
  });

  it('a rate plan without messaging refuses Commands with 33203', async () => {
    await f.client.sims.update('gateway-1', { ratePlan: 'data-only' });
    const error = await apiError(f.client.commands.create({ sim: 'gateway-1', command: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 33203 });
  });

  it('wrong credentials get 401 with 20003', async () => {
    const { WirelessClient } = await import('../../../src/wireless/index.js');
    const intruder = new WirelessClient({
      baseUrl: f.emulator.wirelessBaseUrl,
      credentials: { accountSid: f.emulator.accountSid, authToken: 'wrong' },
    });
    const error = await apiError(intruder.sims.fetch('gateway-1'));
    await intruder.close();
    expect(error).toMatchObject({ status: 401, code: 20003 });
  });
});
