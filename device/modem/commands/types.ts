import type { AtCommand } from '../at-parser.js';
import type { ModemCore } from '../modem-core.js';

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

/** Runs one command. Failures are thrown as CommandFailed. */
export type CommandHandler = (
  command: AtCommand,
  core: ModemCore,
) => CommandOutcome | undefined | Promise<CommandOutcome | undefined>;

export type CommandTable = Record<string, CommandHandler>;
