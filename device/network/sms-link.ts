/**
 * The simulated radio path between the emulated cloud and one SIM: the emulator hands it mobile-terminated SMS and
 * listens to it for mobile-originated SMS. device/network/modem-link.ts implements it for the AT modem simulator;
 * memory-link.ts is an in-process implementation for tests and for running the API without any device.
 */

/** An SMS from the cloud to the device: text (GSM 7-bit or UCS-2 as the device's codec chooses) or 8-bit data. */
export type MobileTerminatedSms = { from: string; text: string } | { from: string; bytes: Uint8Array };

/** An SMS the device sent, addressed to `to` (the short code 2936 for Commands, 000 for Super SIM). */
export type MobileOriginatedSms = { to: string; text: string } | { to: string; bytes: Uint8Array };

/** How an MT delivery ended: stored on the device, or failed for good with a reason the emulator can log. */
export type DeliveryOutcome = { delivered: true } | { delivered: false; reason: string };

export interface DeliverOptions {
  deadlineMs: number;
  /** Aborted when the emulator stops: resolve with a failure at once instead of waiting for the deadline. */
  signal?: AbortSignal;
}

/** What the network knows about the device, for DataSessions. All optional: a link may know none of it. */
export interface DeviceInfo {
  imei?: string;
  radioLink?: string;
  operatorMcc?: string;
  operatorMnc?: string;
  operatorName?: string;
  cellId?: string;
}

export interface SmsLink {
  /**
   * Delivers one MT SMS. Resolves when the device stored it, or with a failure once it cannot be delivered by
   * `deadlineMs` from now (SIM absent, storage full past the deadline, SIM not ready). Never rejects.
   */
  deliver(sms: MobileTerminatedSms, options: DeliverOptions): Promise<DeliveryOutcome>;
  /** Subscribes to the SMS the device sends; returns the unsubscribe function. */
  onMobileOriginated(listener: (sms: MobileOriginatedSms) => void): () => void;
  deviceInfo?(): DeviceInfo;
}

/** Digits only: senders and destinations are matched by their digits, not their formatting (FACTS.md). */
export function addressDigits(address: string): string {
  return address.replace(/\D/g, '');
}
