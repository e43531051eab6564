import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';

// `m2m-bridge at` while the daemon holds the port goes through bridge/request/at, whose allow-list admits the
// read-only queries the modem's own quirks define (the serving cell, the ICCID, the PIN counters) and still refuses
// writes. Piped input: each command echoed, then its answer; a refused command makes the script exit 1.

let broker: MosquittoBroker;
let rig: ProcessRig | undefined;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A daemon on a simulated modem of `profile`, ready; returns the config file the console is pointed at. */
async function daemonOn(profile: string, base: string): Promise<string> {
  rig = await startProcessRig({
    base,
    broker,
    sim: { profile: profile as never },
    waitReady: true,
    dirPrefix: 'm2m at vendor ',
  });
  return join(rig.dir, 'config.yaml');
}

const console_ = (config: string, script: string[]) =>
  runCli(['at', '--config', config], {
    stdin: `${script.join('\n')}\n`,
    env: { M2M_BRIDGE_AT_HISTORY: join(rig!.dir, 'history') },
    timeoutMs: 30_000,
  });
const sentToModem = (text: string) => rig!.sim.modem.log().some((e) => e.direction === 'in' && e.text === text);

describe('m2m-bridge at through the daemon: the vendor queries of the active quirks', () => {
  it('Quectel: AT+QENG="servingcell" (typed in lower case), AT+QCCID and AT+QPINC pass; writes are refused', async () => {
    const config = await daemonOn('quectel', 'gw-at-quectel');
    const admitted = await console_(config, ['at+qeng="servingcell"', 'AT+QCCID', 'at+qpinc="SC"']);
    expect(admitted.code, admitted.stdout + admitted.stderr).toBe(0);
    expect(admitted.stdout).toMatch(/\+QENG: "servingcell","NOCONN","LTE","FDD",\d+,\d+,[0-9A-F]+,[^\n]*\nOK\n/);
    expect(admitted.stdout).toMatch(/\+QCCID: \d{19,20}\nOK\n/);
    expect(admitted.stdout).toMatch(/\+QPINC: "SC",\d+,\d+\nOK\n/);
    // Upper case outside the quotes only: the quoted argument reaches the modem as the driver itself sends it.
    expect(sentToModem('AT+QENG="servingcell"')).toBe(true);
    expect(sentToModem('AT+QPINC="SC"')).toBe(true);

    // Not queries this modem's quirks define, or not reads: refused by the daemon, never sent to the modem.
    const refused = await console_(config, ['AT+QENG="neighbourcell"', 'AT+QCFG="band",0,0', 'AT+CFUN=0']);
    expect(refused.code).toBe(1);
    for (const command of ['AT+QENG=\\"neighbourcell\\"', 'AT+QCFG=\\"band\\",0,0', 'AT+CFUN=0'])
      expect(refused.stdout + refused.stderr).toContain(`"${command}" is not allowed while the daemon holds the modem`);
    expect(refused.stdout + refused.stderr).toMatch(/this modem's AT\+QCCID, [^\n]*AT\+QENG="servingcell"/);
    expect(sentToModem('AT+QENG="neighbourcell"')).toBe(false);
    expect(rig!.sim.modem.log().some((e) => e.direction === 'in' && /QCFG|CFUN=0/.test(e.text))).toBe(false);
    expect(rig!.sim.modem.state().cfun).toBe(1);
  }, 60_000);

  it('Telit: AT#RFSTS and AT#CCID pass; the Quectel query is refused on a Telit', async () => {
    const config = await daemonOn('telit', 'gw-at-telit');
    const admitted = await console_(config, ['at#rfsts', 'AT#CCID']);
    expect(admitted.code, admitted.stdout + admitted.stderr).toBe(0);
    expect(admitted.stdout).toMatch(/#RFSTS: "\d+ \d+",[^\n]+\nOK\n/);
    expect(admitted.stdout).toMatch(/#CCID: \d{19,20}\nOK\n/);
    const refused = await console_(config, ['AT+QENG="servingcell"']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/is not allowed while the daemon holds the modem/);
  }, 60_000);
});
