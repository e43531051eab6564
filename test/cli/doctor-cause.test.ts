import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { openSerial, startTestModemSim, type TestModemSim } from '../helpers/sim.js';

// A technician runs doctor to learn what is wrong: one cause, not a pile of its consequences; the journal and the
// SMS centre checked as the daemon will need them; and the modem left exactly as doctor found it.

interface Check {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  hint: string;
}

let broker: MosquittoBroker;
let sim: TestModemSim | undefined;
let dir: string;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function doctor(storePath?: string) {
  dir ??= mkdtempSync(join(tmpdir(), 'm2m-doctor-cause-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    daemonConfig({
      serialPath: sim!.path,
      mqttUrl: broker.url,
      baseTopic: 'cause',
      storePath: storePath ?? join(dir, 'journal.db'),
    }),
    { mode: 0o600 },
  );
  const result = await runCli(['doctor', '--config', file, '--json'], { timeoutMs: 40_000 });
  const checks = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Check);
  return { code: result.code, checks, byId: (id: string) => checks.find((check) => check.id === id) };
}

function fresh() {
  dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-cause-'));
}

describe('doctor names one cause', () => {
  it('a SIM that wants its PIN: one FAIL, the checks that need the SIM skipped with that cause, no antenna advice', async () => {
    fresh();
    sim = await startTestModemSim({ profile: 'quectel', pin: '1234' });
    const report = await doctor();
    expect(report.code).toBe(1);
    const modemFails = report.checks.filter((c) => c.status === 'fail');
    expect(modemFails.map((c) => c.id)).toEqual(['sim.ready']);
    for (const id of ['network.registration', 'network.signal', 'sms.storage', 'sms.smsc', 'sms.cnmi'])
      expect(report.byId(id), id).toMatchObject({ status: 'skip', detail: 'not checked: SIM locked (PIN)' });
    expect(JSON.stringify(report.checks)).not.toMatch(/antenna/);
  });
});

describe('doctor is read-only on the modem', () => {
  it('asks only: no ATE0, no AT+CMEE=…, no AT+CNMI=…; +CNMI passes with what the daemon will set', async () => {
    fresh();
    sim = await startTestModemSim({ profile: 'quectel' });
    // A modem that does not announce new SMS now: doctor must report that the daemon will fix it, not fix it itself.
    const port = await openSerial(sim.path);
    expect(await port.at.command('AT+CNMI=0,0,0,0,0')).toMatch(/OK/);
    await port.close();
    const before = sim.modem.log().length;
    const report = await doctor();
    expect(report.byId('sim.ready')?.status).toBe('pass');
    const sent = sim.modem
      .log()
      .slice(before)
      .filter((entry) => entry.direction === 'in')
      .map((entry) => entry.text.trim());
    expect(sent.length).toBeGreaterThan(5);
    // Queries (X?), tests (X=?) and plain reads (AT+CGMI, AT+CSQ) only. Quectel's serving-cell query has the syntax of
    // a set command but only reads (EC25 AT manual: AT+QENG="servingcell" "queries the information of serving cell").
    const setters = sent.filter(
      (text) => (/^AT.*=(?!\?)/i.test(text) && text !== 'AT+QENG="servingcell"') || /^ATE\d/i.test(text),
    );
    expect(setters).toEqual([]);
    expect(report.byId('sms.cnmi')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/AT\+CNMI\? → [\d,]+; the daemon sets AT\+CNMI=2,1,0,2,0 when it starts/),
    });
    expect(report.byId('sms.smsc')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^\+?\d+$/) });
    const after = await openSerial(sim.path);
    expect(await after.at.command('AT+CNMI?')).toMatch(/\+CNMI: 0,0,0,0,0/);
    await after.close();
  });
});

describe('doctor: the SMS centre', () => {
  it('fails a modem with no SMS centre, naming the +CMS ERROR: 330 every reply would get', async () => {
    fresh();
    sim = await startTestModemSim({ profile: 'generic' });
    const port = await openSerial(sim.path);
    expect(await port.at.command('AT+CSCA=""')).toMatch(/OK/);
    await port.close();
    const report = await doctor();
    expect(report.byId('sms.smsc')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('+CMS ERROR: 330'),
      hint: expect.stringContaining('AT+CSCA="+<number>"'),
    });
  });
});

describe('doctor: the journal, as m2m-bridge run will open it', () => {
  it('fails a missing directory that run would exit 1 on, naming the command that creates it', async () => {
    fresh();
    sim = await startTestModemSim({ profile: 'generic' });
    const missing = join(dir, 'no-such-dir', 'journal.db');
    const report = await doctor(missing);
    expect(report.byId('store.journal')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does not exist: m2m-bridge run exits 1 at start'),
      hint: expect.stringContaining('install -d'),
    });
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it('passes a journal not created yet and a sound one, and fails a damaged one the daemon would refuse', async () => {
    fresh();
    sim = await startTestModemSim({ profile: 'generic' });
    const path = join(dir, 'state', 'journal.db');
    mkdirSync(join(dir, 'state'));
    expect((await doctor(path)).byId('store.journal')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('not created yet'),
    });
    expect(existsSync(path)).toBe(false);

    const journal = openSqliteJournal({ path });
    for (let i = 0; i < 400; i++)
      journal.recordInbound({
        key: `k${i}`,
        kind: 'command',
        sender: '2936',
        payload: `{"body":"${'x'.repeat(200)}"}`,
        publish: true,
      });
    journal.close();
    expect((await doctor(path)).byId('store.journal')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('sound (quick_check ok)'),
    });

    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, 4096 * 10);
    closeSync(fd);
    expect((await doctor(path)).byId('store.journal')).toMatchObject({
      status: 'fail',
      hint: expect.stringContaining('A damaged journal'),
    });
  });
});

describe('doctor with no config file at all', () => {
  it('says the default file is missing and offers ports, instead of only listing unset keys', async () => {
    expect(existsSync('/etc/m2m-bridge/config.yaml'), 'needs a machine without a gateway config installed').toBe(false);
    const result = await runCli(['doctor', '--json'], { env: { M2M_BRIDGE_SERIAL_PATH: '' } });
    const checks = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Check);
    expect(checks[0]).toMatchObject({
      id: 'config.file',
      status: 'warn',
      detail: expect.stringContaining('no /etc/m2m-bridge/config.yaml'),
      hint: expect.stringContaining('m2m-bridge ports'),
    });
    expect(result.code).toBe(1);
  });
});
