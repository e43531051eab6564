import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestModemSim, type TestModemSim } from '../../helpers/sim.js';

/**
 * Proof that the simulator is a modem real AT software accepts: Debian's gammu, unchanged, talks to the simulator through its pty with
 * `connection = at115200`, as it would to a USB modem.
 */
let sim: TestModemSim;
let gammurc: string;

function gammuConfig(dir: string, device: string): string {
  const path = join(dir, 'gammurc');
  writeFileSync(path, `[gammu]\ndevice = ${device}\nconnection = at115200\n`);
  return path;
}

function gammu(...args: string[]) {
  return gammuWith(gammurc, ...args);
}

function gammuWith(
  config: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('gammu', ['-c', config, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gammu ${args.join(' ')} did not finish within 20 s; stdout ${stdout}; stderr ${stderr}`));
    }, 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  sim = await startTestModemSim({
    profile: 'generic',
    imei: '356938035643809',
    simClock: { now: () => new Date('2026-03-01T12:00:00Z') },
  });
  gammurc = gammuConfig(sim.dir, sim.path);
});

afterAll(async () => {
  await sim?.close();
});

describe('gammu against the simulator', () => {
  test('identify shows the modem identity', async () => {
    const result = await gammu('identify');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Manufacturer\s+: M2m-bridge|Manufacturer\s+: m2m-bridge/i);
    expect(result.stdout).toMatch(/IMEI\s+: 356938035643809/);
    expect(result.stdout).toMatch(/SIM IMSI\s+: 310260000000001/);
  });

  test('getallsms shows injected GSM-7, UCS-2 and multipart messages', async () => {
    sim.modem.injectSms({ from: '2936', text: 'Command: status?' });
    sim.modem.injectSms({ from: '+447700900123', text: 'Grüße 👋 Привет' });
    const long = `${'0123456789'.repeat(20)}END`;
    expect(sim.modem.injectSms({ from: '2936', text: long })).toHaveLength(2);
    const result = await gammu('getallsms');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Command: status?');
    expect(result.stdout).toContain('Grüße 👋 Привет');
    expect(result.stdout).toContain('Unicode');
    expect(result.stdout).toMatch(/Concatenated \(linked\) message, ID \(8 bit\) \d+, part 1 of 2/);
    expect(result.stdout).toMatch(/part 2 of 2/);
    expect(result.stdout).toContain('Remote number        : "+447700900123"');
    expect(result.stdout).toContain('4 SMS parts');
    // Both parts' text is there, split where the 153-character segments split it.
    const partTexts = result.stdout.replace(/\n/g, '');
    expect(partTexts).toContain(long.slice(0, 153));
    expect(partTexts).toContain(long.slice(153));
  });

  test('sendsms TEXT 2936 reaches sent() with the TP-MR the modem assigned', async () => {
    const before = sim.modem.sent().length;
    const result = await gammu('sendsms', 'TEXT', '2936', '-text', 'reply: all good');
    expect(result.code).toBe(0);
    const reference = /message reference=(\d+)/.exec(result.stdout + result.stderr)?.[1];
    const sent = sim.modem.sent();
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)).toMatchObject({ destination: '2936', text: 'reply: all good', encoding: 'gsm7' });
    expect(String(sent.at(-1)?.message_reference)).toBe(reference);
  });

  test('deleteallsms 1 empties the SIM inbox', async () => {
    expect(sim.modem.storage().find((memory) => memory.memory === 'SM')?.used).toBe(4);
    const result = await gammu('deleteallsms', '1');
    expect(result.code).toBe(0);
    expect(sim.modem.storage().find((memory) => memory.memory === 'SM')?.used).toBe(0);
  });
});

describe.each(['quectel', 'huawei'] as const)('gammu against the %s profile', (profile) => {
  test('identify, getallsms and sendsms work with the vendor dialect', { timeout: 90_000 }, async () => {
    const vendorSim = await startTestModemSim({ profile });
    try {
      const config = gammuConfig(vendorSim.dir, vendorSim.path);
      const identify = await gammuWith(config, 'identify');
      expect(identify.code).toBe(0);
      expect(identify.stdout).toMatch(profile === 'quectel' ? /Manufacturer\s+: Quectel/ : /Model\s+: E3131/);
      vendorSim.modem.injectSms({ from: '2936', text: `hello ${profile}` });
      const all = await gammuWith(config, 'getallsms');
      expect(all.code).toBe(0);
      expect(all.stdout).toContain(`hello ${profile}`);
      const send = await gammuWith(config, 'sendsms', 'TEXT', '2936', '-text', `from ${profile}`);
      expect(send.code).toBe(0);
      expect(vendorSim.modem.sent().map((sms) => sms.text)).toEqual([`from ${profile}`]);
    } finally {
      await vendorSim.close();
    }
  });
});
