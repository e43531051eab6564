import type { DeliveryOutcome, DeviceInfo, MobileOriginatedSms, MobileTerminatedSms, SmsLink } from './sms-link.js';

/**
 * An SmsLink with no device behind it: MT SMS are kept in `received` (or refused while `failure` is set), and
 * `sendFromDevice` plays an SMS the device sends. For running the API without a modem and for HTTP-layer tests.
 */
export class MemorySmsLink implements SmsLink {
  readonly received: MobileTerminatedSms[] = [];
  /** When set, every delivery fails with this reason (SIM absent, storage full…). */
  failure: string | null = null;
  private readonly listeners = new Set<(sms: MobileOriginatedSms) => void>();
  private readonly info: DeviceInfo;

  constructor(info: DeviceInfo = {}) {
    this.info = info;
  }

  async deliver(sms: MobileTerminatedSms): Promise<DeliveryOutcome> {
    if (this.failure !== null) return { delivered: false, reason: this.failure };
    this.received.push(sms);
    return { delivered: true };
  }

  onMobileOriginated(listener: (sms: MobileOriginatedSms) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deviceInfo(): DeviceInfo {
    return this.info;
  }

  /** Plays an SMS sent by the device (to 2936 it becomes a `from_sim` Command). */
  sendFromDevice(sms: MobileOriginatedSms): void {
    for (const listener of this.listeners) listener(sms);
  }
}
