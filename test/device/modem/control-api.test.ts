import { existsSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { decodePdu } from '../../../src/sms/index.js';
import { openSerial, startTestModemSim, type TestModemSim } from '../../helpers/sim.js';

let sim: TestModemSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start() {
  sim = await startTestModemSim({
    control: { host: '127.0.0.1', port: 0 },
    simClock: { now: () => new Date('2026-05-01T10:00:00Z') },
  });
  return sim;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers field by field
type Json = any;

async function call(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sim!.controlUrl}${path}`, { method, body });
  return { status: response.status, json: await response.json() };
}

describe('control API (JSON over local HTTP)', () => {
  test('POST /sms injects text, 8-bit data and ready PDUs; GET /storage shows them', async () => {
    await start();
    const text = await call('POST', '/sms', JSON.stringify({ from: '2936', text: 'over http' }));
    expect(text.status).toBe(200);
    expect(text.json.parts[0].delivery).toEqual({ outcome: 'stored', memory: 'SM', index: 1 });
    const binary = await call('POST', '/sms', JSON.stringify({ from: '2936', hex: '00ff10' }));
    expect(decodePdu(binary.json.parts[0].pdu)).toMatchObject({ encoding: '8bit', data_hex: '00FF10' });
    const long = await call('POST', '/sms', JSON.stringify({ from: '2936', text: 'ж'.repeat(100) }));
    expect(long.json.parts).toHaveLength(2);
    expect(decodePdu(long.json.parts[0].pdu)).toMatchObject({ encoding: 'ucs2', concat: { total: 2, seq: 1 } });
    const raw = await call('POST', '/sms', JSON.stringify({ pdu: text.json.parts[0].pdu }));
    expect(raw.json.parts[0].delivery.index).toBe(5);
    const storage = await call('GET', '/storage');
    expect(storage.json.find((memory: { memory: string }) => memory.memory === 'SM').used).toBe(5);
    expect(Object.keys(storage.json[0].messages[0]).sort()).toEqual([
      'index',
      'pdu',
      'stat',
      'stored_at',
      'tpdu_length',
    ]);
    expect(storage.json[0].messages[0].tpdu_length).toBe(text.json.parts[0].tpdu_length);
    const first = decodePdu(storage.json[0].messages[0].pdu);
    expect(first).toMatchObject({ originator: '2936', text: 'over http', timestamp: '2026-05-01T10:00:00+00:00' });
  });

  test('GET /sent lists MO messages decoded, with the TP-MR', async () => {
    const running = await start();
    const serial = await openSerial(running.path);
    await serial.at.command('ATE0;+CMGF=1');
    await serial.at.send('AT+CMGS="2936"', 'hello api');
    await serial.close();
    const sent = await call('GET', '/sent');
    expect(sent.json).toHaveLength(1);
    expect(sent.json[0]).toMatchObject({ destination: '2936', text: 'hello api', message_reference: 0 });
  });

  test('POST /faults takes snake_case, GET /state and GET /log report', async () => {
    await start();
    const faults = await call(
      'POST',
      '/faults',
      JSON.stringify({ send_error: { code: 512, count: 1 }, no_network: true }),
    );
    expect(faults.status).toBe(200);
    expect(faults.json).toMatchObject({ send_error: { code: 512, count: 1 }, no_network: true, hang: false });
    expect((await call('GET', '/faults')).json.no_network).toBe(true);
    const state = await call('GET', '/state');
    expect(state.json).toMatchObject({ profile: 'generic', power: 'on', registration: 2, plugged: true });
    expect(state.json.faults).toMatchObject({
      send_error: { code: 512, count: 1 },
      no_network: true,
      response_delay_ms: 0,
    });
    const log = await call('GET', '/log');
    expect(log.json.some((entry: { text: string }) => entry.text.startsWith('faults'))).toBe(true);
    expect(log.json[0]).toHaveProperty('at');
    const last = log.json.at(-1).seq;
    await call('POST', '/faults', JSON.stringify({ hang: false }));
    const newer = await call('GET', `/log?since=${last}`);
    expect(newer.json.map((entry: { text: string }) => entry.text)).toEqual([expect.stringMatching(/^faults /)]);
    expect((await call('GET', '/log?since=-1')).status).toBe(400);
  });

  test('every key of every answer is snake_case', async () => {
    const running = await start();
    await call('POST', '/sms', JSON.stringify({ from: '2936', text: 'keys' }));
    await call('POST', '/faults', JSON.stringify({ reject_cnmi: { ds: [2] }, echo_after_ate0: true }));
    const serial = await openSerial(running.path);
    await serial.at.command('AT+CMGF=1');
    await serial.at.send('AT+CMGS="2936"', 'keys back');
    await serial.close();
    const keys = (value: Json): string[] =>
      Array.isArray(value)
        ? value.flatMap(keys)
        : value !== null && typeof value === 'object'
          ? Object.entries(value).flatMap(([key, item]) => [key, ...keys(item)])
          : [];
    for (const path of ['/state', '/storage', '/sent', '/faults', '/log']) {
      const answer = (await call('GET', path)).json;
      expect(
        keys(answer).filter((key) => !/^[a-z0-9_]+$/.test(key)),
        path,
      ).toEqual([]);
    }
    expect((await call('GET', '/state')).json.faults).toMatchObject({
      reject_cnmi: { ds: [2], mode: [] },
      echo_after_ate0: true,
    });
  });

  test('POST /reboot, /unplug and /replug', async () => {
    const running = await start();
    expect((await call('POST', '/reboot')).json).toEqual({ ok: true });
    expect((await call('POST', '/unplug')).json).toEqual({ ok: true, plugged: false });
    expect(existsSync(running.path)).toBe(false);
    expect((await call('GET', '/state')).json.plugged).toBe(false);
    expect((await call('POST', '/replug')).json).toEqual({ ok: true, plugged: true });
    expect(existsSync(running.path)).toBe(true);
  });

  test('bad requests get clear 4xx errors', async () => {
    await start();
    expect(await call('POST', '/sms', '{not json')).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/not valid JSON/) },
    });
    expect(await call('POST', '/sms', '[1,2]')).toMatchObject({
      status: 400,
      json: { error: 'body must be a JSON object' },
    });
    expect((await call('POST', '/sms', JSON.stringify({ from: '2936', hex: 'xyz' }))).status).toBe(400);
    expect(
      (await call('POST', '/sms', JSON.stringify({ pdu: '0011000481392600000005E8329BFD06' }))).json.error,
    ).toMatch(/SMS-SUBMIT, expected an SMS-DELIVER/);
    expect((await call('POST', '/sms', JSON.stringify({ text: 'no sender' }))).json.error).toMatch(/from/);
    expect((await call('POST', '/faults', JSON.stringify({ melt: true }))).json).toEqual({
      error: "unknown fault 'melt'",
    });
    expect((await call('GET', '/nowhere')).status).toBe(404);
    expect((await call('GET', '/sms')).status).toBe(405);
  });
});
