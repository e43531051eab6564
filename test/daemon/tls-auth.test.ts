import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess } from '../helpers/daemon.js';
import { freePort } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

const PASSWORD = 'correct horse battery staple';
let dir: string;
let port: number;
/** A second listener that requires a client certificate signed by the same CA (its CN becomes the username). */
let certPort: number;
let broker: ChildProcess;
let sim: TestModemSim;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** `<name>.key` and `<name>.pem` for `subject`, signed by the test CA (with `extensions`, an openssl extfile). */
function issueCertificate(name: string, subject: string, extensions?: string): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  const extfile = extensions === undefined ? [] : ['-extfile', `${name}.ext`];
  if (extensions !== undefined) writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    ...extfile,
    '-out',
    `${name}.pem`,
  );
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made fresh for this test file. */
function makeCertificates(): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=m2m-test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  issueCertificate('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  // The gateway's client certificate, as a fleet would provision one per device.
  issueCertificate('client', '/CN=gateway-7');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-tls-'));
  makeCertificates();
  execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwords'), 'gateway', PASSWORD], { stdio: 'ignore' });
  port = await freePort();
  certPort = await freePort();
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      `cafile ${join(dir, 'ca.pem')}`,
      `certfile ${join(dir, 'server.pem')}`,
      `keyfile ${join(dir, 'server.key')}`,
      `listener ${certPort} 127.0.0.1`,
      `cafile ${join(dir, 'ca.pem')}`,
      `certfile ${join(dir, 'server.pem')}`,
      `keyfile ${join(dir, 'server.key')}`,
      'require_certificate true',
      'use_identity_as_username true',
      'allow_anonymous false',
      `password_file ${join(dir, 'passwords')}`,
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'log_dest stderr',
      '',
    ].join('\n'),
  );
  broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  sim = await startTestModemSim({ profile: 'quectel' });
  await waitFor('the TLS broker', async () => {
    try {
      const probe = await TestSubscriber.connect(`mqtts://127.0.0.1:${port}`, ['x'], {
        ca: readFileSync(join(dir, 'ca.pem')),
        username: 'gateway',
        password: PASSWORD,
        reconnectPeriod: 0,
      });
      await probe.close();
      return true;
    } catch {
      return false;
    }
  });
});

afterAll(async () => {
  await sim?.close();
  broker?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function config(passwordFile: string, base: string): string {
  return [
    'serial:',
    `  path: ${sim.path}`,
    'mqtt:',
    `  url: mqtts://127.0.0.1:${port}`,
    `  base_topic: ${base}`,
    `  ca: ${join(dir, 'ca.pem')}`,
    '  username: gateway',
    `  password_file: ${passwordFile}`,
    'store:',
    `  path: ${join(dir, `${base}.db`)}`,
    'log:',
    '  level: debug',
  ].join('\n');
}

describe('m2m-bridge run with TLS and a password read from a file', () => {
  it('connects over mqtts with the CA from mqtt.ca and publishes commands', async () => {
    writeFileSync(join(dir, 'good-password'), `${PASSWORD}\n`, { mode: 0o600 });
    const daemon = DaemonProcess.start(dir, config(join(dir, 'good-password'), 'tls'));
    const app = await TestSubscriber.connect(`mqtts://127.0.0.1:${port}`, ['tls/#'], {
      ca: readFileSync(join(dir, 'ca.pem')),
      username: 'gateway',
      password: PASSWORD,
    });
    try {
      await app.waitFor('online', (m) => m.topic === 'tls/bridge/state' && m.text.includes('online'), 20_000);
      sim.modem.injectSms({ from: '2936', text: 'over tls' });
      const received = await app.waitFor('command', (m) => m.topic === 'tls/command/received', 20_000);
      expect(JSON.parse(received.text).body).toBe('over tls');
      expect(await daemon.signal('SIGTERM')).toBe(0);
      expect(daemon.output).not.toContain(PASSWORD);
    } finally {
      await app.close();
      await daemon.kill();
    }
  });

  it('authenticates with a client certificate (mqtt.cert + mqtt.key) where the broker requires one', async () => {
    const yaml = [
      'serial:',
      `  path: ${sim.path}`,
      'mqtt:',
      `  url: mqtts://127.0.0.1:${certPort}`,
      '  base_topic: tlscert',
      `  ca: ${join(dir, 'ca.pem')}`,
      `  cert: ${join(dir, 'client.pem')}`,
      `  key: ${join(dir, 'client.key')}`,
      'store:',
      `  path: ${join(dir, 'tlscert.db')}`,
    ].join('\n');
    chmodSync(join(dir, 'client.key'), 0o600);
    const daemon = DaemonProcess.start(dir, yaml);
    const tls = { ca: readFileSync(join(dir, 'ca.pem')), cert: readFileSync(join(dir, 'client.pem')) };
    const app = await TestSubscriber.connect(`mqtts://127.0.0.1:${certPort}`, ['tlscert/#'], {
      ...tls,
      key: readFileSync(join(dir, 'client.key')),
    });
    try {
      await app.waitFor('online', (m) => m.topic === 'tlscert/bridge/state' && m.text.includes('online'), 20_000);
      sim.modem.injectSms({ from: '2936', text: 'over a client certificate' });
      const received = await app.waitFor('command', (m) => m.topic === 'tlscert/command/received', 20_000);
      expect(JSON.parse(received.text).body).toBe('over a client certificate');
      expect(await daemon.signal('SIGTERM')).toBe(0);
    } finally {
      await app.close();
      await daemon.kill();
    }
    // The same listener refuses a client without a certificate: the requirement is real.
    await expect(
      TestSubscriber.connect(`mqtts://127.0.0.1:${certPort}`, ['x'], { ...tls, cert: undefined, reconnectPeriod: 0 }),
    ).rejects.toThrow();
  });

  it('with a wrong password keeps running, keeps retrying with backoff, and never logs the password', async () => {
    writeFileSync(join(dir, 'bad-password'), 'wrong-secret-value\n', { mode: 0o600 });
    const daemon = DaemonProcess.start(dir, config(join(dir, 'bad-password'), 'tlsbad'));
    try {
      await daemon.waitForLog(
        'the refusal',
        (line) => line.msg === 'mqtt error' && JSON.stringify(line).includes('Not authorized'),
        20_000,
      );
      await daemon.waitForLog('a second attempt', (line) => line.msg === 'mqtt reconnecting', 20_000);
      // The modem side is unaffected: it still initialises and drains the SIM into the journal.
      sim.modem.injectSms({ from: '2936', text: 'journaled while the broker refuses us' });
      await waitFor('SIM drained', () => sim.modem.storage().every((memory) => memory.used === 0), 20_000);
      expect(daemon.output).not.toContain('wrong-secret-value');
      expect(await daemon.signal('SIGTERM')).toBe(0);
    } finally {
      await daemon.kill();
    }
  });
});
