import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Bridge, type BridgeOptions } from '../../src/bridge/bridge.js';
import { type ModemControl, type ModemView, UNKNOWN_MODEM } from '../../src/bridge/modem-view.js';
import { MqttConnection } from '../../src/bridge/mqtt-connection.js';
import type { OutgoingPart, SmsTransmitter } from '../../src/bridge/reply-sender.js';
import type { SendFailure } from '../../src/bridge/send-failure.js';
import { type Topics, topicsFor } from '../../src/bridge/topics.js';
import { productProfile, senderPolicy, submitOptionsFor } from '../../src/commands/index.js';
import { canSend } from '../../src/modem/types.js';
import { decodePdu, encodeDeliver, encodeSubmit } from '../../src/sms/index.js';
import { type Journal, openSqliteJournal, type SqliteJournal } from '../../src/store/index.js';
import { systemClock } from '../../src/util/clock.js';
import type { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';

/**
 * The modem side of the bridge as an in-process fake (this file tests the bridge layer alone; the daemon tests run it
 * against the simulator over a pty). `failures` scripts what the next sends do (null: that one succeeds);
 * `references` what the next successful ones answer (null: OK without `+CMGS: <mr>`), else 1, 2, 3 …
 */
export class FakeTransmitter implements SmsTransmitter {
  readonly sent: OutgoingPart[] = [];
  /** Every part handed over, including the ones that failed. */
  readonly attempts: OutgoingPart[] = [];
  readonly failures: Array<SendFailure | null> = [];
  readonly references: Array<number | null> = [];
  private reference = 0;

  async sendPart(part: OutgoingPart): Promise<number | null> {
    this.attempts.push(part);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(part);
    if (this.references.length > 0) return this.references.shift() ?? null;
    this.reference = (this.reference + 1) % 256;
    return this.reference;
  }

  /** The decoded SMS-SUBMITs that went out. */
  decoded() {
    return this.sent.map((part) => decodePdu(part.pdu));
  }
}

export class FakeModem implements ModemControl {
  current: ModemView = { ...UNKNOWN_MODEM, status: 'ready', reason: null };
  restarts = 0;
  view() {
    return this.current;
  }
  /** As the driver answers it: an initialised modem, registered or not. */
  canSend() {
    return canSend(this.current.status);
  }
  identity() {
    return { manufacturer: 'Quectel', model: 'EC25', revision: 'R1', imei: '1', iccid: '2', imsi: '3' };
  }
  async restart() {
    this.restarts += 1;
  }
  sweeps = 0;
  async sweep() {
    this.sweeps += 1;
  }
}

/** An SMS as the driver hands it over: the PDU a network would deliver, decoded. */
export function incoming(options: Parameters<typeof encodeDeliver>[0]) {
  return encodeDeliver(options).map((part) => ({ pdu: part.pdu, decoded: decodePdu(part.pdu), decode_error: null }));
}

export interface Harness {
  bridge: Bridge;
  topics: Topics;
  journal: SqliteJournal;
  connection: MqttConnection;
  transmitter: FakeTransmitter;
  modem: FakeModem;
  app: TestSubscriber;
  close(): Promise<void>;
}

let counter = 0;

export async function startBridge(
  broker: MosquittoBroker,
  overrides: Partial<BridgeOptions> = {},
  version: 4 | 5 = 4,
  journalOptions: { maxSizeBytes?: number; wrap?: (journal: SqliteJournal) => Journal } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-bridge-'));
  const { wrap, ...openOptions } = journalOptions;
  const journal = openSqliteJournal({ path: join(dir, 'journal.db'), ...openOptions });
  const base = `gw${++counter}`;
  const topics = topicsFor(base);
  const connection = new MqttConnection({
    url: broker.url,
    clientId: `m2m-bridge-${base}`,
    protocolVersion: version,
    reconnect: { minMs: 50, maxMs: 300 },
    will: { topic: topics.bridgeState, payload: '{"state":"offline"}' },
    subscriptions: [topics.commandSend, topics.requestFilter],
    logger: pino({ level: 'silent' }),
    clock: systemClock,
  });
  const transmitter = new FakeTransmitter();
  const modem = new FakeModem();
  const profile = productProfile('programmable-wireless');
  const bridge = new Bridge({
    connection,
    // The bridge may see the journal through a wrapper (to make writes fail); the harness keeps the real one.
    journal: wrap ? wrap(journal) : journal,
    topics,
    profile,
    senders: senderPolicy(profile),
    reply: { profile, allowMultipart: false },
    publishRejected: true,
    multipartTimeoutMs: 60_000,
    transmitter,
    encode: (reply) => encodeSubmit({ ...submitOptionsFor(reply), statusReport: true }),
    modem,
    info: () => ({ version: 'test', product: profile.name }),
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    sendRetry: { minMs: 20, maxMs: 100, maxAttempts: 3 },
    ...overrides,
  });
  // A local program with a persistent session, as a PLC bridge would run: it misses nothing while the broker restarts.
  const app = await TestSubscriber.connect(broker.url, [`${base}/#`], { clientId: `app-${base}`, clean: false });
  bridge.start();
  const up = new Promise<void>((resolve) => connection.once('connected', resolve));
  connection.start();
  await up;
  return {
    bridge,
    topics,
    journal,
    connection,
    transmitter,
    modem,
    app,
    async close() {
      await bridge.stop();
      await connection.stop({ topic: topics.bridgeState, payload: '{"state":"offline"}', retain: true });
      await app.close();
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
