import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ApiError, invalidParameter, missingParameter } from './api-errors.js';
import type { CallbackSender } from './callbacks.js';
import type { EmulatedNetwork } from './network.js';
import { type HttpMethod, type SimRecord, simCanMessage } from './records.js';
import { isoDate, type SidFactory } from './sids.js';

/**
 * Super SIM IP Commands (twilio_supersim_v1.json, `/v1/IpCommands`; docs.korewireless.com/en-us/api/products/supersim/
 * ipcommand-resource), emulated over real UDP on loopback:
 *
 * - to_sim: `queued`; sent as one datagram to the SIM's data-session address on `DevicePort`, then `sent` with
 *   `device_ip` filled in. A SIM without a data session (or not ready/active) gets `failed`, as the real service does
 *   ("If the device is not attached, the IP Command will not be sent and its status will be marked as failed"). UDP
 *   has no delivery report, so `sent` is final.
 * - from_sim: a datagram to the emulator's stand-in for 100.64.0.1 (a loopback address and port) from a SIM's
 *   data-session address becomes a `received` IpCommand, `payload_type` binary (base64), `device_port` the source
 *   port; the Fleet's `ip_commands_url` is called.
 *
 * Payloads are at most 1300 bytes both ways (the spec's `Payload` description).
 */
export const MAX_IP_COMMAND_BYTES = 1300;

export type IpCommandStatus = 'queued' | 'sent' | 'received' | 'failed';
export type IpPayloadType = 'text' | 'binary';

export interface IpCommandRecord {
  sid: string;
  /** The emulator's SIM record sid (DE…); the Super SIM face is sim.superSimSid. */
  simSid: string;
  direction: 'to_sim' | 'from_sim';
  status: IpCommandStatus;
  deviceIp: string | null;
  devicePort: number;
  payloadType: IpPayloadType;
  /** Text, or base64 for binary (the API's representation). */
  payload: string;
  callbackUrl: string | null;
  callbackMethod: HttpMethod;
  created: number;
  updated: number;
}

interface IpCommandServiceOptions {
  network: EmulatedNetwork;
  accountSid: string;
  now: () => number;
  newSid: SidFactory;
  sendCallback: CallbackSender;
  /** Where devices send MO IP Commands (the emulator's "100.64.0.1"); port 0 picks a free one. */
  listenHost: string;
  listenPort: number;
  /** The Fleet's ip_commands_url and ip_commands_method; null: no webhook. */
  fleetCallback: { url: string; method: HttpMethod } | null;
}

interface CreateIpCommandInput {
  sim: string;
  payload: string;
  devicePort: number;
  payloadType: IpPayloadType;
  callbackUrl: string | null;
  callbackMethod: HttpMethod;
}

/** Decodes the API payload to the bytes of the datagram, refusing what the spec does not allow. */
function ipPayloadBytes(payload: string, payloadType: IpPayloadType): Buffer {
  let bytes: Buffer;
  if (payloadType === 'binary') {
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(payload)) {
      throw invalidParameter('Payload', 'must be base64 with PayloadType binary');
    }
    bytes = Buffer.from(payload, 'base64');
  } else {
    bytes = Buffer.from(payload, 'utf8');
  }
  if (bytes.length > MAX_IP_COMMAND_BYTES) {
    throw invalidParameter(
      'Payload',
      `is ${bytes.length} bytes; the payload cannot exceed ${MAX_IP_COMMAND_BYTES} bytes`,
    );
  }
  return bytes;
}

export class IpCommandService extends EventEmitter {
  readonly commands: IpCommandRecord[] = [];
  private readonly options: IpCommandServiceOptions;
  /** SIM sid → the device's address on its data session. */
  private readonly sessions = new Map<string, string>();
  private readonly pending = new Set<Promise<unknown>>();
  private listener: Socket | null = null;
  private sender: Socket | null = null;
  private closed = false;

  constructor(options: IpCommandServiceOptions) {
    super();
    this.options = options;
  }

  /** Binds the "100.64.0.1" listener and the socket MT datagrams leave from. */
  async start(): Promise<void> {
    const listener = createSocket('udp4');
    listener.on('message', (message, from) => this.receive(message, from));
    listener.on('error', (error) => this.emit('listener-error', error));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.bind(this.options.listenPort, this.options.listenHost, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.listener = listener;
    const sender = createSocket('udp4');
    sender.on('error', (error) => this.emit('listener-error', error));
    await new Promise<void>((resolve) => sender.bind(0, this.options.listenHost, resolve));
    this.sender = sender;
  }

  /** The address devices send MO IP Commands to, in the emulator. */
  get listenAddress(): { address: string; port: number } {
    const info = this.listener?.address() as AddressInfo | undefined;
    return { address: info?.address ?? this.options.listenHost, port: info?.port ?? 0 };
  }

  /** Starts (address) or ends (null) the SIM's data session: IP Commands need one. */
  setDataSession(sim: SimRecord, address: string | null): void {
    if (address === null) this.sessions.delete(sim.sid);
    else this.sessions.set(sim.sid, address);
  }

  dataSessionAddress(sim: SimRecord): string | null {
    return this.sessions.get(sim.sid) ?? null;
  }

  create(input: CreateIpCommandInput): IpCommandRecord {
    const sim = this.options.network.findSim(input.sim, 'supersim');
    if (!sim) throw new ApiError('notFound', `The requested resource /Sims/${input.sim} was not found`);
    const bytes = ipPayloadBytes(input.payload, input.payloadType);
    const now = this.options.now();
    const record: IpCommandRecord = {
      sid: this.options.newSid('HG'),
      simSid: sim.sid,
      direction: 'to_sim',
      status: 'queued',
      deviceIp: null,
      devicePort: input.devicePort,
      payloadType: input.payloadType,
      payload: input.payload,
      callbackUrl: input.callbackUrl,
      callbackMethod: input.callbackMethod,
      created: now,
      updated: now,
    };
    this.commands.push(record);
    this.emit('ip-command', record);
    this.track(this.deliver(record, sim, bytes));
    return record;
  }

  find(sid: string): IpCommandRecord | undefined {
    return this.commands.find((c) => c.sid === sid);
  }

  list(filter: { sim?: SimRecord; status?: IpCommandStatus; direction?: string }): IpCommandRecord[] {
    return this.commands.filter(
      (c) =>
        (!filter.sim || c.simSid === filter.sim.sid) &&
        (!filter.status || c.status === filter.status) &&
        (!filter.direction || c.direction === filter.direction),
    );
  }

  /** Resolves when every delivery and callback has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    for (const socket of [this.listener, this.sender]) {
      if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
    this.listener = null;
    this.sender = null;
  }

  private async deliver(record: IpCommandRecord, sim: SimRecord, bytes: Buffer): Promise<void> {
    // Asynchronous like the real service: the 201 says queued, the outcome follows.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const address = this.sessions.get(sim.sid);
    if (this.closed || !address || !simCanMessage(sim.status) || !this.sender) {
      this.settle(record, 'failed', null);
      return;
    }
    const sent = await new Promise<boolean>((resolve) => {
      this.sender!.send(bytes, record.devicePort, address, (error) => resolve(!error));
    });
    this.settle(record, sent ? 'sent' : 'failed', sent ? address : null);
  }

  private settle(record: IpCommandRecord, status: IpCommandStatus, deviceIp: string | null): void {
    record.status = status;
    record.deviceIp = deviceIp;
    record.updated = this.options.now();
    this.emit('ip-command', record);
    if (record.callbackUrl) this.callback(record.callbackUrl, record.callbackMethod, this.callbackParams(record));
  }

  private receive(message: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    const simSid = [...this.sessions].find(([, address]) => address === from.address)?.[0];
    const sim = simSid ? this.options.network.sims.get(simSid) : undefined;
    if (!sim || !simCanMessage(sim.status)) {
      this.emit('ip-mo-ignored', { from, reason: sim ? `SIM is ${sim.status}` : 'no SIM has this address' });
      return;
    }
    const now = this.options.now();
    const record: IpCommandRecord = {
      sid: this.options.newSid('HG'),
      simSid: sim.sid,
      direction: 'from_sim',
      status: 'received',
      deviceIp: from.address,
      devicePort: from.port,
      payloadType: 'binary',
      payload: message.toString('base64'),
      callbackUrl: null,
      callbackMethod: 'POST',
      created: now,
      updated: now,
    };
    this.commands.push(record);
    this.emit('ip-command', record);
    const fleet = this.options.fleetCallback;
    if (fleet) this.callback(fleet.url, fleet.method, this.callbackParams(record));
  }

  /**
   * Webhook fields, UpperCamelCase like the API's other callbacks. The IP Commands webhook's exact field list is not
   * in the spec; these mirror the resource's properties.
   */
  private callbackParams(record: IpCommandRecord): Record<string, string> {
    const sim = this.options.network.sims.get(record.simSid);
    return {
      IpCommandSid: record.sid,
      AccountSid: this.options.accountSid,
      SimSid: sim?.superSimSid ?? '',
      SimIccid: sim?.iccid ?? '',
      Status: record.status,
      Direction: record.direction,
      DeviceIp: record.deviceIp ?? '',
      DevicePort: String(record.devicePort),
      PayloadType: record.payloadType,
      Payload: record.payload,
    };
  }

  private callback(url: string, method: HttpMethod, params: Record<string, string>): void {
    if (this.closed) return;
    this.track(this.options.sendCallback({ url, method, params }).then((result) => this.emit('ip-callback', result)));
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}

/** `DevicePort` as the API takes it: an integer port number. */
export function devicePortParam(form: URLSearchParams): number {
  const raw = form.get('DevicePort');
  if (raw === null || raw === '') throw missingParameter('DevicePort');
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65_535) {
    throw invalidParameter('DevicePort', `must be a port number 1..65535, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** The resource as the spec's `supersim.v1.ip_command` schema has it. */
export function ipCommandJson(record: IpCommandRecord, sim: SimRecord | undefined, accountSid: string, base: string) {
  return {
    sid: record.sid,
    account_sid: accountSid,
    sim_sid: sim?.superSimSid ?? null,
    sim_iccid: sim?.iccid ?? null,
    status: record.status,
    direction: record.direction,
    device_ip: record.deviceIp,
    device_port: record.devicePort,
    payload_type: record.payloadType,
    payload: record.payload,
    date_created: isoDate(record.created),
    date_updated: isoDate(record.updated),
    url: `${base}/IpCommands/${record.sid}`,
  };
}
