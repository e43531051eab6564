import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessRig, startInProcessRig } from '../helpers/daemon-rig.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The `status` request while the modem cannot give its cell detail: the answer still comes, in time for the CLI's
 * 5 s, with the cell null and the reason, and everything else the daemon knows. A daemon in this process, on a
 * simulated u-blox SARA-R4 (pty) and a real Mosquitto.
 */

const base = 'gw-detail';
let rig: InProcessRig;

beforeAll(async () => {
  rig = await startInProcessRig({ base, sim: { profile: 'ublox' } });
  await waitFor('modem ready', () => rig.app.on(`${base}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);
}, 40_000);

afterAll(async () => {
  await rig?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON answer field by field
type Json = any;

async function askStatus(transaction: string): Promise<{ data: Json; ms: number }> {
  const started = Date.now();
  await rig.app.client.publishAsync(`${base}/bridge/request/status`, JSON.stringify({ transaction }), { qos: 1 });
  const response = await rig.app.waitFor(
    'status response',
    (m) => m.topic === `${base}/bridge/response/status` && m.text.includes(transaction),
    10_000,
  );
  const body = JSON.parse(response.text);
  expect(body.status).toBe('ok');
  return { data: body.data, ms: Date.now() - started };
}

describe('status while the modem cannot say', () => {
  it('a u-blox answers its cell through +UCGED (three lines, no prefix on the last two)', async () => {
    const { data } = await askStatus('ublox-ok');
    expect(data.modem.cell).toMatchObject({ mcc: '310', mnc: '260', tac: '1A2B', cell_id: '01C3D4E5', earfcn: 5110 });
    expect(data.modem.cell).toMatchObject({ band: '12', rsrp_dbm: -90, rsrq_db: -10, sinr_db: 13 });
    expect(data.modem.detail_unavailable).toBeNull();
  });

  it('a modem that stopped answering: the answer comes within the budget, cell null, saying why', async () => {
    rig.sim.modem.setFaults({ hang: true });
    try {
      const { data, ms } = await askStatus('hung');
      expect(ms).toBeLessThan(5_000);
      expect(data.modem.cell).toBeNull();
      expect(data.modem.sms_centre).toBeNull();
      expect(data.modem.detail_unavailable).toBe('AT+CSCA?: no final result within 2000 ms');
      // The rest of the answer is all there.
      expect(data.queues).toMatchObject({ inbox_unpublished: 0 });
      expect(data.paths).toMatchObject({ serial_port: rig.sim.path, journal: rig.storePath });
    } finally {
      rig.sim.modem.setFaults({ hang: false });
    }
  }, 20_000);
});
