import {
  type ModemControl,
  type ModemIdentityView,
  type ModemView,
  type ModemViewStatus,
  type OutgoingPart,
  SendFailure,
  type SmsTransmitter,
  UNKNOWN_MODEM,
} from '../bridge/index.js';
import {
  canSend,
  isInitialised,
  isRegistered,
  type Modem,
  type ModemState,
  type ModemStatus,
  SendError,
} from '../modem/index.js';

// The bridge names the driver's states itself (it may not import src/modem): the two lists must stay one.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statesAgree: Same<ModemState, ModemViewStatus> = true;
void statesAgree;

const NO_IDENTITY: ModemIdentityView = {
  manufacturer: null,
  model: null,
  revision: null,
  imei: null,
  iccid: null,
  imsi: null,
};

/**
 * The driver's status as the bridge shows it on `modem/state`. Only current values are shown as current: while the
 * modem is not initialised (unplugged, SIM blocked, re-initialising) registration, operator, signal and storage are
 * null and the last reading moves to `last_known` with its time; a modem that is not registered shows no operator
 * (+COPS? keeps naming the last one while searching).
 */
export function modemView(status: ModemStatus): ModemView {
  const current = isInitialised(status.state);
  const { network } = status;
  const registered = isRegistered(network.registration ?? undefined);
  const signal = { rssi_dbm: network.signal.rssi_dbm, quality: network.signal.quality };
  return {
    status: status.state,
    reason: status.reason,
    cause: status.cause,
    sim_lock: status.sim_lock ? { ...status.sim_lock } : null,
    identity: identityView(status),
    registration: current ? network.registration : null,
    operator: current && registered ? (network.operator ?? null) : null,
    access_technology: current && registered ? (network.access_technology ?? null) : null,
    signal: current ? signal : { rssi_dbm: null, quality: null },
    storage: current ? { used: status.storage.used, total: status.storage.total } : { used: null, total: null },
    last_known:
      current || status.network_read_at === null
        ? null
        : {
            registration: network.registration,
            operator: registered ? (network.operator ?? null) : null,
            access_technology: registered ? (network.access_technology ?? null) : null,
            signal,
            as_of: new Date(status.network_read_at).toISOString(),
          },
  };
}

export function identityView(status: ModemStatus): ModemIdentityView {
  return { ...status.identity };
}

/** The driver's SendError as the bridge's one failure type; anything else the driver throws is a bug: transient. */
function toSendFailure(error: unknown): SendFailure {
  if (!(error instanceof SendError)) return SendFailure.of(error);
  return new SendFailure(error.message, {
    transient: error.transient,
    code: error.code,
    maybe_sent: error.maybe_sent,
    cause: error,
  });
}

/**
 * Adapts the driver to the bridge's ports. The bridge sends one part per call so it can journal each part's message
 * reference as soon as the modem returns it (a retry then never resends a part that went out).
 */
export class ModemAdapter implements SmsTransmitter, ModemControl {
  constructor(
    /** The driver, or null before it exists (daemon start) and while `modem/restart` replaces it. */
    private readonly current: () => Modem | null,
    private readonly restartModem: () => Promise<void>,
    /** The data link's view (IP Commands enabled), shown on modem/state; null or absent otherwise. */
    private readonly dataLink: () => ModemView['data_link'] | null = () => null,
  ) {}

  async sendPart(part: OutgoingPart): Promise<number | null> {
    const modem = this.current();
    // Transient: a reply waits in the journal and is tried again once the modem is up.
    if (!modem) throw new SendFailure('modem not started', { transient: true });
    let message_references: number[];
    try {
      ({ message_references } = await modem.send([part]));
    } catch (error) {
      throw toSendFailure(error);
    }
    const reference = message_references[0];
    // +CMGS answered OK without a reference (the driver says -1): the part may have gone out, and no status report
    // could be matched to it. Null tells the bridge exactly that: it never hands the part over again.
    if (reference === undefined || reference < 0) return null;
    return reference;
  }

  private require(): Modem {
    const modem = this.current();
    if (!modem) throw new Error('modem not started');
    return modem;
  }

  canSend(): boolean {
    const modem = this.current();
    return modem !== null && canSend(modem.state);
  }

  view(): ModemView {
    const modem = this.current();
    const view = modem ? modemView(modem.status()) : UNKNOWN_MODEM;
    const link = this.dataLink();
    return link ? { ...view, data_link: link } : view;
  }

  identity(): ModemIdentityView {
    const modem = this.current();
    return modem ? identityView(modem.status()) : NO_IDENTITY;
  }

  restart(): Promise<void> {
    return this.restartModem();
  }

  async sweep(): Promise<void> {
    const modem = this.require();
    modem.sweep('requested over MQTT');
    await modem.receiveIdle();
  }
}
