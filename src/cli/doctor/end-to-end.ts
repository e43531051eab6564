import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { topicsFor } from '../../bridge/topics.js';
import type { LoadedConfig } from '../../config/index.js';
import { isInitialised, MODEM_STATES, type ModemState } from '../../modem/types.js';
import { WirelessApiError, type WirelessClient } from '../../wireless/index.js';
import { brokerTargetOf, connectOnce } from '../daemon-request.js';
import { wirelessEndpoints } from '../wireless-config.js';
import { doctorWirelessClient } from './api-checks.js';
import { type CheckResult, fail, pass } from './check.js';
import type { DaemonAnswer } from './mqtt-probe.js';

/**
 * `doctor --end-to-end`: the whole path once, for real. A Command with a unique body goes to this gateway's SIM through
 * the API (Programmable Wireless POST /v1/Commands, or Super SIM POST /v1/SmsCommands with commands.product
 * super-sim), and doctor waits for the daemon to publish it on <base>/command/received. It costs what one Command
 * costs on the account, so it runs only with the flag, and only when everything it needs is there: nothing is sent
 * while the daemon is not running or the modem is not registered, since the Command would only wait (and be billed).
 */
export interface EndToEndOptions {
  loaded: LoadedConfig;
  /** The daemon's health_check answer, or null when no daemon answered (mqtt-probe.ts). */
  daemon: DaemonAnswer | null;
  /** The SIM's ICCID as the modem reported it, or null. */
  iccid: string | null;
  deadlineMs: number;
}

const ID = 'e2e';
const TITLE = 'end to end (API → SIM → MQTT)';

/** A sent Command as both APIs describe it. */
interface Sent {
  sid: string;
  status(): Promise<string>;
}

export async function endToEndCheck(options: EndToEndOptions): Promise<CheckResult> {
  const { loaded, daemon, iccid } = options;
  const { credentials, baseUrl, superSimBaseUrl, keys } = wirelessEndpoints(loaded);
  if (!credentials)
    return fail(
      ID,
      TITLE,
      'no API credentials configured: nothing was sent',
      `set ${keys} (README, "Wireless API credentials")`,
    );
  if (!daemon)
    return fail(
      ID,
      TITLE,
      'the daemon is not running (no answer to health_check over MQTT): nothing was sent',
      'start it (sudo systemctl start m2m-bridge), then run doctor --end-to-end again',
    );
  const modem = daemon.health.modem;
  // A Command reaches MQTT only through an initialised modem (the driver's own answer, not a copy of it).
  const status = MODEM_STATES.find((state): state is ModemState => state === modem.status);
  if (!status || !isInitialised(status))
    return fail(
      ID,
      TITLE,
      `the modem is ${modem.status}${modem.reason ? ` (${modem.reason})` : ''}: nothing was sent`,
      'see the modem checks above',
    );
  if (modem.registration !== 'home' && modem.registration !== 'roaming')
    return fail(
      ID,
      TITLE,
      `the SIM is not registered on a network (registration ${modem.registration ?? 'unknown'}): nothing was sent`,
      'see network registration above: coverage, antenna, the SIM active in the account',
    );
  if (!iccid)
    return fail(
      ID,
      TITLE,
      "the modem's ICCID is unknown, so the SIM cannot be addressed: nothing was sent",
      'see the ICCID check above',
    );

  const superSim = loaded.config.commands.product === 'super-sim';
  const client = doctorWirelessClient(credentials, baseUrl, superSimBaseUrl);
  let mqtt: MqttClient | null = null;
  try {
    const simSid = await findSim(client, superSim, iccid);
    if (!simSid)
      return fail(
        ID,
        TITLE,
        `no ${superSim ? 'Super SIM' : 'SIM'} with ICCID ${iccid} in this account: nothing was sent`,
        'see "SIM in the account" above',
      );
    const target = brokerTargetOf(loaded);
    const topics = topicsFor(target.baseTopic);
    mqtt = await connectOnce(target, 5_000, 'm2m-bridge-doctor-e2e');
    const body = `m2m-bridge doctor ${randomUUID().slice(0, 8)}`;
    const arrived = watchFor(mqtt, topics.commandReceived, body);
    await mqtt.subscribeAsync(topics.commandReceived, { qos: 1 });
    const started = Date.now();
    let sent: Sent;
    try {
      sent = await send(client, superSim, simSid, body);
    } catch (error) {
      const reason =
        error instanceof WirelessApiError
          ? `HTTP ${error.status}, code ${error.code}: ${error.message}`
          : (error as Error).message;
      return fail(
        ID,
        TITLE,
        `the API refused the Command: ${reason}`,
        error instanceof WirelessApiError && error.status === 401 ? `check ${keys}` : 'see the API checks above',
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, options.deadlineMs, false);
    });
    // The timer is cleared once the Command came, or it would hold the process until the deadline.
    const seen = await Promise.race([arrived, deadline]).finally(() => clearTimeout(timer));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (seen) return pass(ID, TITLE, `${sent.sid} "${body}" arrived on ${topics.commandReceived} after ${seconds} s`);
    return neverArrived(sent, await sent.status().catch(() => 'unknown'), topics.commandReceived, options.deadlineMs);
  } catch (error) {
    return fail(ID, TITLE, (error as Error).message, 'see the MQTT and API checks above');
  } finally {
    await mqtt?.endAsync(true).catch(() => {});
    await client.close();
  }
}

async function findSim(client: WirelessClient, superSim: boolean, iccid: string): Promise<string | null> {
  const sim = superSim
    ? (await client.superSim.sims.list({ iccid, pageSize: 1 }).next()).value
    : (await client.sims.list({ iccid, pageSize: 1 }).next()).value;
  return sim?.sid ?? null;
}

async function send(client: WirelessClient, superSim: boolean, sim: string, body: string): Promise<Sent> {
  if (superSim) {
    const created = await client.superSim.smsCommands.create({ sim, payload: body });
    const sid = created.sid ?? '';
    return { sid, status: async () => (await client.superSim.smsCommands.fetch(sid)).status };
  }
  const created = await client.commands.create({ sim, command: body });
  const sid = created.sid ?? '';
  return { sid, status: async () => (await client.commands.fetch(sid)).status };
}

/** Resolves true once a command/received payload carries exactly this body (other Commands may arrive meanwhile). */
function watchFor(client: MqttClient, topic: string, body: string): Promise<true> {
  return new Promise((resolve) => {
    client.on('message', (received, payload) => {
      if (received !== topic) return;
      try {
        if ((JSON.parse(payload.toString('utf8')) as { body?: unknown }).body === body) resolve(true);
      } catch {
        // not a payload of ours
      }
    });
  });
}

/** The likely cause, from where the cloud says the Command got to. */
function neverArrived(sent: Sent, status: string, topic: string, deadlineMs: number): CheckResult {
  const base = `${sent.sid} did not arrive on ${topic} within ${deadlineMs / 1000} s; the API says it is ${status}`;
  if (status === 'failed')
    return fail(
      ID,
      TITLE,
      `${base}: the network could not deliver it to the SIM`,
      "check coverage and that the SIM is active; the Command's error is in the console",
    );
  if (status === 'queued' || status === 'sent')
    return fail(
      ID,
      TITLE,
      `${base}: it has not reached the SIM yet`,
      'the SIM may be out of coverage or not attached; try a longer --end-to-end-timeout',
    );
  return fail(
    ID,
    TITLE,
    `${base}: the SIM got it, but the daemon did not publish it`,
    "check the daemon's log (journalctl -u m2m-bridge): commands.product and commands.allowed_senders decide which senders become Commands",
  );
}
