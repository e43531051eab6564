import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { checkApi } from '../../src/cli/doctor/api-checks.js';
import type { CheckResult } from '../../src/cli/doctor/check.js';
import { loadConfig } from '../../src/config/index.js';

// doctor's API checks with KORE's form of credentials (client id + secret file → Bearer token), against the emulator.
const ICCID = '8901260000000000017';

let api: WirelessEmulator | undefined;
let dir = '';

afterEach(async () => {
  await api?.close();
  api = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function koreChecks(secret: string, product = 'programmable-wireless') {
  api = await startWirelessEmulator({ sims: [{ iccid: ICCID, uniqueName: 'gw-1', link: null }] });
  dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-kore-'));
  writeFileSync(join(dir, 'client-secret'), `${secret}\n`, { mode: 0o600 });
  const yaml = [
    'serial:',
    '  path: /dev/ttyUSB2',
    'commands:',
    `  product: ${product}`,
    'wireless:',
    `  base_url: ${api.wirelessBaseUrl}`,
    `  super_sim_base_url: ${api.superSimBaseUrl}`,
    `  client_id: ${api.clientId}`,
    `  client_secret_file: ${join(dir, 'client-secret')}`,
    `  token_url: ${api.tokenUrl}`,
  ].join('\n');
  writeFileSync(join(dir, 'config.yaml'), yaml, { mode: 0o600 });
  const results = await checkApi(loadConfig({ configPath: join(dir, 'config.yaml'), env: {} }), ICCID);
  return (id: string): CheckResult | undefined => results.find((result) => result.id === id);
}

describe('doctor: the API checks with KORE client credentials', () => {
  it('passes the credentials, saying the Bearer token came from the token URL, and finds the SIM', async () => {
    const check = await koreChecks('emulator-client-secret');
    expect(check('api.credentials')).toMatchObject({
      status: 'pass',
      detail: `${api!.wirelessBaseUrl} accepted them (Bearer token from ${api!.tokenUrl})`,
    });
    expect(check('api.sim')?.status).toBe('pass');
    expect(check('api.rate_plan')?.status).toBe('pass');
  });

  it('works on the Super SIM API too', async () => {
    const check = await koreChecks('emulator-client-secret', 'super-sim');
    expect(check('api.credentials')).toMatchObject({ status: 'pass', title: 'Super SIM API credentials' });
    expect(check('api.sim')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^gw-1 \(HS\w+\)/) });
  });

  it('a wrong secret fails with the token endpoint’s answer and names the keys to check, never the secret', async () => {
    const check = await koreChecks('wrong-secret-5a1f');
    const failed = check('api.credentials');
    expect(failed).toMatchObject({
      status: 'fail',
      detail:
        'the token endpoint refused the client credentials (HTTP 401): unauthorized_client: Invalid client or Invalid client credentials',
      hint: 'check wireless.client_id and the secret in wireless.client_secret_file, and wireless.token_url',
    });
    expect(JSON.stringify(failed)).not.toContain('wrong-secret-5a1f');
    expect(check('api.sim')).toBeUndefined();
  });
});
