import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

/**
 * What a technician reads off `status` and `doctor`: the serving cell, the IMSI, the SMS centre and the paths, through
 * the built binaries, with the daemon on a simulated Quectel EC25 (pty) and a real Mosquitto.
 */

let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let daemon: DaemonProcess;
let app: TestSubscriber;
const base = 'gw-cell';

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'quectel', imsi: '310260555000123', smsc: '+12063130004' });
  // A directory with a space: the paths are shown as they are.
  dir = mkdtempSync(join(tmpdir(), 'm2m cell-'));
  app = await TestSubscriber.connect(broker.url, [`${base}/#`]);
  daemon = DaemonProcess.start(
    dir,
    daemonConfig({ serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') }),
  );
  await waitFor('modem ready', () => app.on(`${base}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);
}, 40_000);

afterAll(async () => {
  await daemon?.kill();
  await app?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sentToModem = (since = 0) =>
  sim.modem
    .log(since)
    .filter((entry) => entry.direction === 'in')
    .map((entry) => entry.text);
const lastSeq = () => sim.modem.log().at(-1)?.seq ?? 0;
const configPath = () => join(dir, 'config.yaml');

describe('cell detail, IMSI, SMS centre and paths', () => {
  it('are read from the modem only when status asks, and carried by status --json', async () => {
    // The periodic poll never asks for them: cell detail is on demand.
    expect(sentToModem().filter((line) => /QENG|CSCA/.test(line))).toEqual([]);
    const since = lastSeq();
    const result = await runCli(['status', '--config', configPath(), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data.modem.cell).toEqual({
      mcc: '310',
      mnc: '260',
      lac: null,
      tac: '1A2B',
      cell_id: '01C3D4E5',
      access_technology: 'LTE',
      band: '12',
      earfcn: 5110,
      rsrp_dbm: -90,
      rsrq_db: -10,
      sinr_db: 13,
    });
    expect(data.modem.sms_centre).toBe('+12063130004');
    expect(data.modem.identity.imsi).toBe('310260555000123');
    expect(data.paths).toEqual({ config_file: configPath(), serial_port: sim.path, journal: join(dir, 'journal.db') });
    // The EC25 answered everything with its own query: the 3GPP formats were left alone.
    expect(sentToModem(since).filter((line) => /COPS=3|CEREG=|QENG/.test(line))).toEqual(['AT+QENG="servingcell"']);
  });

  it('prints them in the summary', async () => {
    const { stdout, code } = await runCli(['status', '--config', configPath()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^identity\s+IMEI \d{15}, ICCID \d+, IMSI 310260555000123$/m);
    expect(stdout).toMatch(/^cell\s+MCC 310 MNC 260, TAC 1A2B, cell 01C3D4E5 \(LTE, band 12, EARFCN 5110\)$/m);
    expect(stdout).toMatch(/^radio\s+RSRP -90 dBm, RSRQ -10 dB, SINR 13 dB$/m);
    expect(stdout).toMatch(/^sms centre\s+\+12063130004$/m);
    expect(stdout).toContain(`config ${configPath()}, serial ${sim.path}, journal ${join(dir, 'journal.db')}`);
  });

  it('a modem that answers ERROR to the vendor query shows "not reported", and its 3GPP formats are put back', async () => {
    sim.modem.setCell({ servingCellQuery: false, rsrp: -101, rsrq: -15 });
    onTestFinished(() => {
      sim.modem.setCell({ servingCellQuery: true, rsrp: -90, rsrq: -10 });
    });
    const since = lastSeq();
    const result = await runCli(['status', '--config', configPath()]);
    expect(result.code).toBe(0);
    // MCC/MNC from +COPS numeric, TAC and cell from +CEREG n=2, RSRP/RSRQ from +CESQ; the rest only the EC25 query knew.
    expect(result.stdout).toMatch(
      /^cell\s+MCC 310 MNC 260, TAC 1A2B, cell 01C3D4E5 \(LTE, band not reported, EARFCN not reported\)$/m,
    );
    expect(result.stdout).toMatch(/^radio\s+RSRP -101 dBm, RSRQ -15 dB, SINR not reported$/m);
    // Each switch and its switch back are one command line: nothing of the daemon's own runs in between. +CEREG needs
    // no switch: the driver keeps it at n=2 for its registration URCs, so the location is in the plain query.
    const sent = sentToModem(since).filter((line) => /COPS=3|CEREG=/.test(line));
    expect(sent).toEqual(['AT+COPS=3,2;+COPS?;+COPS=3,0']);
    // The operator's name is back for modem/state: asked through the daemon, as a technician would.
    const after = await runCli(['at', '--config', configPath(), '--via-daemon'], { stdin: 'AT+COPS?\n' });
    expect(after.stdout).toContain('+COPS: 0,0,"Twilio",7');
    const json = JSON.parse((await runCli(['status', '--config', configPath(), '--json'])).stdout);
    expect(json.modem.cell).toMatchObject({ band: null, earfcn: null, sinr_db: null, rsrp_dbm: -101 });
  });

  it('doctor shows them through the running daemon', async () => {
    const { stdout } = await runCli(['doctor', '--config', configPath()], { timeoutMs: 40_000 });
    expect(stdout).toMatch(/^PASS {2}paths: config .*config\.yaml, serial port .*ttySIM0, journal .*journal\.db$/m);
    expect(stdout).toMatch(/^PASS {2}ICCID and IMEI: ICCID \d+, IMEI \d{15}, IMSI 310260555000123$/m);
    expect(stdout).toMatch(
      /^PASS {2}serving cell: MCC 310 MNC 260, TAC 1A2B, cell 01C3D4E5 \(LTE, band 12, EARFCN 5110\); RSRP -90 dBm, RSRQ -10 dB, SINR 13 dB$/m,
    );
    expect(stdout).toMatch(/^PASS {2}SMS centre: \+12063130004$/m);
  }, 45_000);

  it('doctor on the port (no daemon) reads them with queries only', async () => {
    expect(await daemon.signal('SIGTERM')).toBe(0);
    const since = lastSeq();
    const { stdout } = await runCli(['doctor', '--config', configPath(), '--json'], { timeoutMs: 40_000 });
    const checks = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(checks.find((c) => c.id === 'daemon').status).toBe('warn');
    expect(checks.find((c) => c.id === 'network.cell')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('MCC 310 MNC 260, TAC 1A2B, cell 01C3D4E5 (LTE, band 12, EARFCN 5110)'),
    });
    expect(checks.find((c) => c.id === 'modem.identity').detail).toContain('IMSI 310260555000123');
    expect(checks.find((c) => c.id === 'sms.smsc')).toMatchObject({ status: 'pass', detail: '+12063130004' });
    // Doctor changes no setting on the modem: not even for a moment.
    expect(sentToModem(since).filter((line) => /=/.test(line) && !/=\?$|QENG="servingcell"/.test(line))).toEqual([]);
  }, 45_000);
});
