import type { AtCommand } from '../at-parser.js';
import type { MoSubmission } from '../mo-submit.js';
import type {
  ClockAccess,
  FaultAccess,
  ModemIdentity,
  RadioAccess,
  SettingsHolder,
  SimAccess,
  StorageAccess,
  Timers,
  UrcSink,
} from '../modem-host.js';
import type { MtDelivery } from '../mt-delivery.js';

/** What a command produced: information lines, and optionally a request for the SMS `> ` prompt. */
export interface CommandOutcome {
  lines?: string[];
  prompt?: PromptRequest;
}

/** After `> `, the session collects text until Ctrl-Z and hands it here (TS 27.005 §3.5.1 / §4.3). */
export interface PromptRequest {
  mode: 'pdu' | 'text';
  complete(body: string): Promise<CommandOutcome> | CommandOutcome;
}

/** The SMS traffic commands hand to the network side: MT acknowledgement and retries, MO submission. */
export interface SmsTraffic {
  readonly mt: Pick<MtDelivery, 'acknowledge' | 'scheduleRetry'>;
  readonly mo: Pick<MoSubmission, 'submitPdu' | 'submitText' | 'submitStored'>;
}

/**
 * Everything any command may use of the modem core (modem-core.ts implements it). Each command file types its
 * handlers with the part it needs (`CommandHandler<SettingsHolder & RadioAccess>` …), so a handler's signature says
 * what it reads and changes.
 */
export type CommandHost = ClockAccess &
  ModemIdentity &
  SettingsHolder &
  FaultAccess &
  SimAccess &
  RadioAccess &
  UrcSink &
  Timers &
  StorageAccess &
  SmsTraffic;

/** Runs one command on the part of the core it needs. Failures are thrown as CommandFailed. */
export type CommandHandler<Host = CommandHost> = (
  command: AtCommand,
  core: Host,
) => CommandOutcome | undefined | Promise<CommandOutcome | undefined>;

export type CommandTable = Record<string, CommandHandler>;
