import { EventEmitter } from 'node:events';
import { emitIsolated } from '../../src/util/emit.js';
import { isIccid } from '../../src/wireless/sim-identifiers.js';
import { ApiError, missingParameter } from './api-errors.js';
import { moCallbackParams, mtCallbackParams } from './callback-params.js';
import type { CallbackResult, CallbackSender } from './callbacks.js';
import { checkCommandBody, type IncludeSid, textWithSid, truncateMoText } from './command-body.js';
import {
  type CommandRecord,
  type CommandStatus,
  type HttpMethod,
  type Product,
  type RatePlanRecord,
  type SimRecord,
  type SimStatus,
  simCanMessage,
} from './records.js';
import type { SidFactory } from './sids.js';
import {
  addressDigits,
  type DeliveryOutcome,
  type MobileOriginatedSms,
  type MobileTerminatedSms,
  type SmsLink,
} from './sms-link.js';
import { newDataSession, recordTraffic } from './traffic.js';

/** Short codes (FACTS.md): Programmable Wireless Commands come from and go to 2936, Super SIM SMS Commands 000. */
export const SHORT_CODE = { wireless: '2936', supersim: '000' } as const;
/** A SIM may hold at most this many queued Commands (error 33118). */
const MAX_QUEUED_PER_SIM = 100;

export interface RatePlanConfig {
  sid?: string;
  uniqueName?: string;
  friendlyName?: string;
  messagingEnabled?: boolean;
  dataEnabled?: boolean;
}

export interface SimConfig {
  /** Wireless Sim SID (DE…); generated when absent. */
  sid?: string;
  /** The same SIM's Super SIM SID (HS…); generated when absent. */
  superSimSid?: string;
  iccid: string;
  uniqueName?: string;
  friendlyName?: string;
  status?: SimStatus;
  /** RatePlan SID or unique_name; the first rate plan when absent. */
  ratePlan?: string;
  commandsCallbackUrl?: string;
  commandsCallbackMethod?: HttpMethod;
  /** The device path; null or absent = no device (Commands to this SIM fail). */
  link?: SmsLink | null;
}

interface CreateCommandInput {
  product: Product;
  sim: string | undefined;
  command: string;
  mode: 'text' | 'binary';
  includeSid: IncludeSid;
  deliveryReceiptRequested: boolean;
  callbackUrl: string | null;
  callbackMethod: HttpMethod;
}

interface NetworkOptions {
  accountSid: string;
  now: () => number;
  newSid: SidFactory;
  /** How long an MT SMS may wait for the device (SIM busy, storage full) before the Command fails. */
  deliveryDeadlineMs: number;
  sendCallback: CallbackSender;
}

/**
 * The emulated cloud: SIMs, rate plans and Commands, routed over each SIM's SmsLink. Events: `command`
 * (a CommandRecord, on creation and on every status change), `callback` (a CallbackResult, after each webhook),
 * `delivery-failed` ({ record, reason }), `mo-ignored` ({ sim, sms, reason }), `listener-error` ({ event, error }:
 * a listener threw; the emulator carried on).
 */
export class EmulatedNetwork extends EventEmitter {
  readonly ratePlans = new Map<string, RatePlanRecord>();
  readonly sims = new Map<string, SimRecord>();
  /** Every Command and SmsCommand, oldest first. */
  readonly commands: CommandRecord[] = [];
  private readonly options: NetworkOptions;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly unsubscribe = new Map<string, () => void>();
  private closed = false;
  private readonly stopping = new AbortController();

  constructor(options: NetworkOptions) {
    super();
    this.options = options;
  }

  get accountSid(): string {
    return this.options.accountSid;
  }

  addRatePlan(config: RatePlanConfig = {}): RatePlanRecord {
    const now = this.options.now();
    const plan: RatePlanRecord = {
      sid: config.sid ?? this.options.newSid('WP'),
      uniqueName: config.uniqueName ?? null,
      friendlyName: config.friendlyName ?? config.uniqueName ?? null,
      messagingEnabled: config.messagingEnabled ?? true,
      dataEnabled: config.dataEnabled ?? true,
      dataLimit: 1000,
      dataMetering: 'payg',
      nationalRoamingEnabled: true,
      internationalRoaming: ['data', 'messaging'],
      created: now,
      updated: now,
    };
    this.ratePlans.set(plan.sid, plan);
    return plan;
  }

  addSim(config: SimConfig): SimRecord {
    if (!isIccid(config.iccid)) throw new TypeError(`ICCID must be 18–22 digits: ${config.iccid}`);
    if (config.uniqueName && this.findSim(config.uniqueName))
      throw new TypeError(`duplicate unique_name ${config.uniqueName}`);
    const plan = config.ratePlan ? this.findRatePlan(config.ratePlan) : [...this.ratePlans.values()][0];
    if (config.ratePlan && !plan) throw new TypeError(`unknown rate plan ${config.ratePlan}`);
    const now = this.options.now();
    const sim: SimRecord = {
      sid: config.sid ?? this.options.newSid('DE'),
      superSimSid: config.superSimSid ?? this.options.newSid('HS'),
      iccid: config.iccid,
      uniqueName: config.uniqueName ?? null,
      friendlyName: config.friendlyName ?? config.uniqueName ?? null,
      status: config.status ?? 'active',
      ratePlanSid: plan?.sid ?? null,
      commandsCallbackUrl: config.commandsCallbackUrl ?? null,
      commandsCallbackMethod: config.commandsCallbackMethod ?? 'POST',
      created: now,
      updated: now,
      link: null,
      dataSessions: [],
    };
    this.sims.set(sim.sid, sim);
    this.attachLink(sim, config.link ?? null);
    return sim;
  }

  /** Plugs a device into the SIM (or unplugs it with null): MO SMS from it become Commands. */
  attachLink(sim: SimRecord, link: SmsLink | null): void {
    this.unsubscribe.get(sim.sid)?.();
    this.unsubscribe.delete(sim.sid);
    sim.link = link;
    if (!link) return;
    this.unsubscribe.set(
      sim.sid,
      link.onMobileOriginated((sms) => this.receiveMobileOriginated(sim, sms)),
    );
    sim.dataSessions.push(newDataSession(this.options.newSid('WN'), this.options.now(), link.deviceInfo?.() ?? {}));
  }

  /** By unique_name, or by the SID of the given API's face (DE… for Wireless, HS… for Super SIM; either by default). */
  findSim(ref: string, product?: Product): SimRecord | undefined {
    for (const sim of this.sims.values()) {
      if (sim.uniqueName === ref) return sim;
      if (product !== 'supersim' && sim.sid === ref) return sim;
      if (product !== 'wireless' && sim.superSimSid === ref) return sim;
    }
    return undefined;
  }

  findRatePlan(ref: string): RatePlanRecord | undefined {
    for (const plan of this.ratePlans.values()) if (plan.sid === ref || plan.uniqueName === ref) return plan;
    return undefined;
  }

  /** Validates and queues an MT Command; throws ApiError (400) for anything the API would refuse. */
  createCommand(input: CreateCommandInput): CommandRecord {
    const bytes = checkCommandBody(input.command, input.mode, input.includeSid);
    if (input.sim === undefined || input.sim === '') throw missingParameter('Sim');
    const sim = this.findSim(input.sim, input.product);
    if (!sim) throw new ApiError('simNotFound', `The SIM ${input.sim} was not found`);
    if (!simCanMessage(sim.status)) {
      throw new ApiError('simNotActive', `The SIM ${sim.sid} is ${sim.status}; Commands need a ready or active SIM`);
    }
    const plan = sim.ratePlanSid ? this.ratePlans.get(sim.ratePlanSid) : undefined;
    if (!plan?.messagingEnabled) {
      throw new ApiError('messagingDisabled', `The rate plan of SIM ${sim.sid} does not have messaging_enabled`);
    }
    const queued = this.commands.filter((c) => c.simSid === sim.sid && c.status === 'queued').length;
    if (queued >= MAX_QUEUED_PER_SIM) {
      throw new ApiError('tooManyQueued', `SIM ${sim.sid} already has ${queued} queued Commands`);
    }
    const now = this.options.now();
    const record: CommandRecord = {
      product: input.product,
      sid: this.options.newSid(input.product === 'wireless' ? 'DC' : 'HC'),
      simSid: sim.sid,
      command: input.command,
      mode: input.mode,
      direction: 'to_sim',
      status: 'queued',
      deliveryReceiptRequested: input.deliveryReceiptRequested,
      includeSid: input.includeSid,
      callbackUrl: input.callbackUrl,
      callbackMethod: input.callbackMethod,
      created: now,
      updated: now,
    };
    this.commands.push(record);
    this.notify('command', record);
    const from = SHORT_CODE[input.product];
    const sms: MobileTerminatedSms = bytes
      ? { from, bytes }
      : { from, text: textWithSid(input.command, record.sid, input.includeSid) };
    this.enqueue(sim, () => this.deliver(record, sim, sms));
    return record;
  }

  /** Commands of one product, newest first (the API lists most recent first), filtered. */
  listCommands(product: Product, filter: { sim?: SimRecord; status?: CommandStatus; direction?: string }) {
    return this.commands
      .filter(
        (c) =>
          c.product === product &&
          (!filter.sim || c.simSid === filter.sim.sid) &&
          (!filter.status || c.status === filter.status) &&
          (!filter.direction || c.direction === filter.direction),
      )
      .reverse();
  }

  findCommand(product: Product, sid: string): CommandRecord | undefined {
    return this.commands.find((c) => c.product === product && c.sid === sid);
  }

  deleteCommand(record: CommandRecord): void {
    const index = this.commands.indexOf(record);
    if (index >= 0) this.commands.splice(index, 1);
  }

  /** Turns an SMS the device sent into a `from_sim` Command (`received`) and calls the Sim's commands callback. */
  receiveMobileOriginated(sim: SimRecord, sms: MobileOriginatedSms): void {
    const accepted = this.acceptMobileOriginated(sim, sms);
    if (typeof accepted === 'string') {
      this.notify('mo-ignored', { sim, sms, reason: accepted });
      return;
    }
    const { product, command, mode } = accepted;
    const now = this.options.now();
    const record: CommandRecord = {
      product,
      sid: this.options.newSid(product === 'wireless' ? 'DC' : 'HC'),
      simSid: sim.sid,
      command,
      mode,
      direction: 'from_sim',
      status: 'received',
      deliveryReceiptRequested: false,
      includeSid: 'none',
      callbackUrl: null,
      callbackMethod: 'POST',
      created: now,
      updated: now,
    };
    this.commands.push(record);
    recordTraffic(sim, 'up', 'text' in sms ? Buffer.byteLength(sms.text) : sms.bytes.length, now);
    this.notify('command', record);
    if (product === 'wireless' && sim.commandsCallbackUrl) {
      this.callback(
        sim.commandsCallbackUrl,
        sim.commandsCallbackMethod,
        moCallbackParams(record, sim, this.accountSid),
      );
    }
  }

  /** What an MO SMS becomes, or why it is ignored. */
  private acceptMobileOriginated(
    sim: SimRecord,
    sms: MobileOriginatedSms,
  ): { product: Product; command: string; mode: 'text' | 'binary' } | string {
    const to = addressDigits(sms.to);
    const product: Product | undefined =
      to === SHORT_CODE.wireless ? 'wireless' : to === SHORT_CODE.supersim ? 'supersim' : undefined;
    if (!product) return `destination ${sms.to} is not a Commands short code`;
    if (!simCanMessage(sim.status)) return `SIM is ${sim.status}`;
    if ('text' in sms) return { product, command: truncateMoText(sms.text).text, mode: 'text' };
    if (product === 'supersim') return 'Super SIM SMS Commands are text only';
    return { product, command: Buffer.from(sms.bytes).toString('base64'), mode: 'binary' };
  }

  /** Resolves when every queued delivery and callback has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops routing: pending deliveries end at once, no more callbacks, devices are detached. */
  close(): void {
    this.closed = true;
    this.stopping.abort();
    for (const unsubscribe of this.unsubscribe.values()) unsubscribe();
    this.unsubscribe.clear();
  }

  /** Emits to listeners; one that throws is reported on `listener-error`, never breaks the request or delivery. */
  private notify(event: string, payload: unknown): void {
    // Each listener on its own, so one that throws does not keep the others (e.g. waitForCommand) from running.
    emitIsolated(this, event, [payload], (error) => {
      if (event !== 'listener-error') this.notify('listener-error', { event, error });
    });
  }

  private enqueue(sim: SimRecord, task: () => Promise<void>): void {
    const previous = this.queues.get(sim.sid) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.queues.set(sim.sid, next);
    this.track(next);
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private setStatus(record: CommandRecord, status: CommandStatus): void {
    record.status = status;
    record.updated = this.options.now();
    this.notify('command', record);
  }

  private async deliver(record: CommandRecord, sim: SimRecord, sms: MobileTerminatedSms): Promise<void> {
    if (this.closed || !this.commands.includes(record)) return;
    let outcome: DeliveryOutcome;
    if (!simCanMessage(sim.status)) {
      outcome = { delivered: false, reason: `SIM is ${sim.status}` };
    } else {
      this.setStatus(record, 'sent');
      const link = sim.link;
      outcome = link
        ? await link
            .deliver(sms, { deadlineMs: this.options.deliveryDeadlineMs, signal: this.stopping.signal })
            .catch((error: unknown) => ({
              delivered: false as const,
              reason: error instanceof Error ? error.message : String(error),
            }))
        : { delivered: false, reason: 'no device is attached to the SIM' };
    }
    // Stopped meanwhile: the outcome is an artefact of stopping, not something to report or call back about.
    if (this.closed) return;
    if (outcome.delivered) {
      recordTraffic(sim, 'down', 'text' in sms ? Buffer.byteLength(sms.text) : sms.bytes.length, this.options.now());
      // Without a receipt the API cannot know more than `sent` (FACTS.md: delivered needs a delivery receipt).
      if (record.deliveryReceiptRequested) this.setStatus(record, 'delivered');
    } else {
      this.setStatus(record, 'failed');
      this.notify('delivery-failed', { record, reason: outcome.reason });
    }
    if (record.callbackUrl) {
      this.callback(record.callbackUrl, record.callbackMethod, mtCallbackParams(record, sim, this.accountSid));
    }
  }

  private callback(url: string, method: HttpMethod, params: Record<string, string>): void {
    const sent = this.options.sendCallback({ url, method, params }).then((result: CallbackResult) => {
      this.notify('callback', result);
    });
    this.track(sent);
  }
}
