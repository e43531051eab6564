import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemorySmsLink,
  type RatePlanConfig,
  startWirelessEmulator,
  type WirelessEmulator,
} from '../../device/network/index.js';
import { checkApi } from '../../src/cli/doctor/api-checks.js';
import type { CheckResult } from '../../src/cli/doctor/check.js';
import { loadConfig } from '../../src/config/index.js';

const ICCID = '8901260000000000017';

let api: WirelessEmulator | undefined;
let dir = '';

afterEach(async () => {
  await api?.close();
  api = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function emulator(options: { ratePlans?: RatePlanConfig[]; link?: MemorySmsLink } = {}) {
  api = await startWirelessEmulator({
    ...(options.ratePlans ? { ratePlans: options.ratePlans } : {}),
    sims: [{ iccid: ICCID, uniqueName: 'gw-1', link: options.link ?? null }],
  });
  return api;
}

/** The API checks as `m2m-bridge doctor` runs them, from a config file naming the emulator. */
async function apiChecks(
  emulated: WirelessEmulator,
  keys: Record<string, string> = {},
  iccid: string | null = ICCID,
): Promise<(id: string) => CheckResult | undefined> {
  dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-api-'));
  writeFileSync(join(dir, 'token'), emulated.authToken, { mode: 0o600 });
  const wireless = {
    base_url: emulated.wirelessBaseUrl,
    super_sim_base_url: emulated.superSimBaseUrl,
    account_sid: emulated.accountSid,
    auth_token_file: join(dir, 'token'),
  };
  const yaml = [
    'serial:',
    '  path: /dev/ttyUSB2',
    'commands:',
    `  product: ${keys.product ?? 'programmable-wireless'}`,
    'wireless:',
    ...Object.entries({ ...wireless, ...keys })
      .filter(([key]) => key !== 'product')
      .map(([key, value]) => `  ${key}: ${value}`),
  ].join('\n');
  writeFileSync(join(dir, 'config.yaml'), yaml, { mode: 0o600 });
  const results = await checkApi(loadConfig({ configPath: join(dir, 'config.yaml'), env: {} }), iccid);
  return (id) => results.find((result) => result.id === id);
}

describe('doctor: the Wireless API checks against the emulator', () => {
  it('fails a rate plan with messaging disabled, naming error 33203 and what to do', async () => {
    const emulated = await emulator({ ratePlans: [{ uniqueName: 'data-only', messagingEnabled: false }] });
    const check = await apiChecks(emulated);
    expect(check('api.sim')?.status).toBe('pass');
    expect(check('api.rate_plan')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/data-only: messaging is disabled.*33203/),
      hint: expect.stringContaining('rate plan with messaging enabled'),
    });
  });

  it('shows the latest data session: operator, radio and cell', async () => {
    const link = new MemorySmsLink({ operatorName: 'Vodafone DE', radioLink: 'LTE-M', cellId: '1A2B3C' });
    const check = await apiChecks(await emulator({ link }));
    expect(check('api.data_session')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^Vodafone DE, LTE-M, cell 1A2B3C, since \d{4}-/),
    });
  });

  it('warns, with a hint, when the SIM never had a data session', async () => {
    const check = await apiChecks(await emulator());
    expect(check('api.data_session')).toMatchObject({ status: 'warn', detail: 'none recorded' });
    expect(check('api.data_session')?.hint).toMatch(/APN/);
  });

  describe('with commands.product: super-sim', () => {
    // The Wireless API is unreachable here: a Super SIM gateway must not depend on it (it used to FAIL "no SIM").
    const deadWireless = 'http://127.0.0.1:1/v1';

    it('finds the SIM on the Super SIM API (HS… SID) and skips the checks Super SIM does not have', async () => {
      const emulated = await emulator({ ratePlans: [{ uniqueName: 'data-only', messagingEnabled: false }] });
      const check = await apiChecks(emulated, { product: 'super-sim', base_url: deadWireless });
      expect(check('api.credentials')).toMatchObject({
        status: 'pass',
        title: 'Super SIM API credentials',
        detail: expect.stringContaining(emulated.superSimBaseUrl),
      });
      expect(check('api.sim')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^gw-1 \(HS\w+\) is /) });
      expect(check('api.rate_plan')).toMatchObject({ status: 'skip', detail: expect.stringContaining('Fleet') });
      expect(check('api.data_session')).toMatchObject({ status: 'skip', detail: expect.stringContaining('Super SIM') });
    });

    it('reports an inactive Super SIM with the Super SIM status enum', async () => {
      const emulated = await emulator();
      const auth = `Basic ${Buffer.from(`${emulated.accountSid}:${emulated.authToken}`).toString('base64')}`;
      const update = await fetch(`${emulated.superSimBaseUrl}/Sims/gw-1`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Status: 'inactive' }),
      });
      expect(update.status).toBe(200);
      const check = await apiChecks(emulated, { product: 'super-sim', base_url: deadWireless });
      expect(check('api.sim')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('is inactive: it receives no SMS Commands'),
      });
    });

    it('names commands.product when the ICCID is not a Super SIM of this account', async () => {
      const check = await apiChecks(await emulator(), { product: 'super-sim' }, '8901260000000000999');
      expect(check('api.sim')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('no Super SIM with ICCID 8901260000000000999'),
        hint: expect.stringContaining('commands.product: programmable-wireless'),
      });
    });

    it('fails the credentials against the Super SIM API when the token is wrong', async () => {
      const emulated = await emulator();
      const check = await apiChecks(emulated, { product: 'super-sim', base_url: deadWireless });
      expect(check('api.credentials')?.status).toBe('pass');
      writeFileSync(join(dir, 'token'), 'not-the-token', { mode: 0o600 });
      const results = await checkApi(loadConfig({ configPath: join(dir, 'config.yaml'), env: {} }), ICCID);
      expect(results.find((r) => r.id === 'api.credentials')).toMatchObject({
        status: 'fail',
        title: 'Super SIM API credentials',
        detail: expect.stringContaining('20003'),
      });
    });
  });
});
