import type { AtChannel } from '../at/channel.js';
import type { Clock } from '../util/clock.js';
import type { InitResult } from './init.js';
import type { Registration, Signal } from './parsers/network.js';
import { readinessOf } from './readiness.js';
import { RegistrationByDomain } from './registration.js';
import { pollNetwork } from './status.js';
import type { NetworkStatus, StorageStatus } from './types.js';
import type { RegistrationDomain } from './urcs.js';

/**
 * What the driver knows of the network and the message storage, and the status poll that refreshes it: the last
 * reading (poll, +CREG/+CEREG and signal URCs, sweep counters) with when the network was read, and whether +CSQ is
 * still worth asking. The driver (modem.ts) owns the state machine; this only keeps the values it is derived from.
 */
export class NetworkWatch {
  private current: NetworkStatus = {
    registration: null,
    operator: null,
    access_technology: null,
    signal: { rssi_dbm: null, quality: 'none' },
  };
  private storageNow: StorageStatus = { memory: null, used: null, total: null };
  private readonly registrations = new RegistrationByDomain();
  /** Init enabled the vendor's signal URC, and one came: +CSQ is no longer polled (until the next init). */
  private signalUrcs = { enabled: false, seen: false };
  /** When the network was last read from the modem (a status poll), or null before the first read. */
  private readAt: number | null = null;

  constructor(private readonly clock: Clock) {}

  get network(): NetworkStatus {
    return { ...this.current };
  }

  get storage(): StorageStatus {
    return { ...this.storageNow };
  }

  get networkReadAt(): number | null {
    return this.readAt;
  }

  /** Init succeeded: its signal URCs are unproven again, and its storage counters are the latest. */
  initialised(init: InitResult): void {
    this.signalUrcs = { enabled: init.signalUrcs, seen: false };
    if (init.usage) this.storageNow = { memory: init.memory, used: init.usage.used, total: init.usage.total };
  }

  /**
   * Reads registration, operator and (unless the vendor's URC reports it) signal. Storage is not polled: every sweep
   * reads its counters. Timeouts and port loss propagate to the caller.
   */
  async poll(channel: AtChannel): Promise<void> {
    const signal = !(this.signalUrcs.enabled && this.signalUrcs.seen);
    this.current = await pollNetwork(channel, { signal, registrations: this.registrations }, this.current);
    this.readAt = this.clock.now();
  }

  registrationChanged(registration: Registration, domain: RegistrationDomain): void {
    this.current = { ...this.current, registration: this.registrations.update(domain, registration) };
  }

  signalChanged(signal: Signal): void {
    this.signalUrcs.seen = true;
    this.current = { ...this.current, signal };
  }

  storageRead(storage: StorageStatus): void {
    this.storageNow = storage;
  }

  storageFull(): boolean {
    const { used, total } = this.storageNow;
    return Boolean(total && used !== null && used >= total);
  }

  /** Ready or degraded, and why, for an initialised modem (readiness.ts). */
  readiness(): ReturnType<typeof readinessOf> {
    return readinessOf(this.current, this.storageNow);
  }
}
