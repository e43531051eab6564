import { type FinalResult, recogniseFinal } from './final-result.js';
import type { UrcDefinition } from './urc-registry.js';

/**
 * What one line (or `> ` prompt) from the modem means, decided by ordered rules with no I/O: the channel
 * (channel.ts) asks `classify`, then carries the answer out (resolves the waiter, dispatches the URC, collects the
 * line). Keeping the rules pure lets them be read — and tested — as one table of (line, state, action) rows.
 */

/** The command in flight, as far as the rules need it; the channel owns and mutates it. */
export interface InFlight {
  command: string;
  /** The echo still expected (whole, or the rest after a piece), undefined once it came or cannot come any more. */
  echo: string | undefined;
  prefix: string | undefined;
  bodyLines: boolean;
  expectBody: boolean;
  lines: string[];
  /** The data after the `> ` prompt has been written (runWithPrompt). */
  inputWritten: boolean;
  /** Its `> ` prompt came (runWithPrompt): a second one before the data is written is a doubled line, not a new one. */
  promptSeen: boolean;
  /** CommandOptions.aligned, and whether the marker line came. */
  aligned: boolean;
  markerSeen: boolean;
}

export interface LineState {
  /** The command in flight, if any. */
  flight: Readonly<InFlight> | undefined;
  /** A command waits for its `> ` prompt right now. */
  awaitingPrompt: boolean;
  /** The header of a two-line URC (+CMT, +CDS) whose PDU line is due next. */
  pendingUrc: { def: UrcDefinition; header: string } | undefined;
  /** The URC registry's lookup. */
  findUrc(line: string): UrcDefinition | undefined;
}

/** The framer's `> ` prompt token, classified with the lines so the prompt is decided in one place. */
export const PROMPT = Symbol('prompt');

type LineAction =
  /** Hand the prompt to the command waiting for it. */
  | { type: 'prompt' }
  /** A second prompt before the data was written (line noise, a doubled line): ESC now would cancel the send. */
  | { type: 'doubled-prompt' }
  /** A prompt nobody waits for (late, after a failed send): ESC leaves input mode before it swallows a command. */
  | { type: 'stray-prompt' }
  /** A final result: resolves the waiting command (or is logged when none waits). */
  | { type: 'final'; result: FinalResult }
  /** An OK without the alignment line: the answer to an earlier command; drop it and the lines collected so far. */
  | { type: 'unaligned-ok' }
  /** (A piece of) the command's echo; `rest` is what is still expected. */
  | { type: 'echo'; rest: string | undefined }
  /** The alignment answer (`+CMEE:`) of an aligned command: proves the next OK is this command's. */
  | { type: 'alignment' }
  /** A URC: dispatch `lines` to `def`. */
  | { type: 'urc'; def: UrcDefinition; lines: string[] }
  /** The header of a two-line URC: remember it, the PDU line comes next. */
  | { type: 'urc-header'; def: UrcDefinition; header: string }
  /** A line of the answer; `expectBody`: the next hex line is its body (a PDU after a +CMGL/+CMGR header). */
  | { type: 'response'; expectBody: boolean }
  /** A line of the answer beyond MAX_RESPONSE_LINES: dropped. */
  | { type: 'overflow' }
  /** Neither the command's nor a known URC. */
  | { type: 'ignored'; during: 'command' | 'idle' };

/** What classify decided, and whether a pending two-line URC header lost its PDU line (then it is dropped). */
export type Classified = LineAction & { droppedUrcHeader?: string };

/** A modem spewing lines cannot grow one response without bound (255 stored messages are 510 lines). */
export const MAX_RESPONSE_LINES = 4096;
/** The command appended to an `aligned` command, and the start of its answer line (TS 27.007 §9.1). */
export const ALIGNMENT_COMMAND = '+CMEE?';
const ALIGNMENT_ANSWER = '+CMEE:';

const HEX_LINE = /^[0-9A-Fa-f]+$/;
const CTRL_Z = '\x1a';

export function classify(input: string | typeof PROMPT, state: LineState): Classified {
  if (input === PROMPT) return classifyPrompt(state);
  const line = input;
  const pending = state.pendingUrc;
  if (pending) {
    // The second line of +CMT/+CDS is a PDU. Anything else (a lost line, then `OK`) is handled normally, so a
    // mangled URC cannot swallow the final result of the command in flight.
    if (HEX_LINE.test(line)) return { type: 'urc', def: pending.def, lines: [pending.header, line] };
    return { ...classifyLine(line, { ...state, pendingUrc: undefined }), droppedUrcHeader: pending.header };
  }
  return classifyLine(line, state);
}

function classifyPrompt(state: LineState): LineAction {
  if (state.awaitingPrompt) return { type: 'prompt' };
  if (state.flight?.promptSeen && !state.flight.inputWritten) return { type: 'doubled-prompt' };
  return { type: 'stray-prompt' };
}

function classifyLine(line: string, state: LineState): LineAction {
  // Some firmware ends the prompt with CR LF instead of a space: a bare ">" line is the prompt when one is awaited.
  if ((line === '>' || line === '> ') && state.awaitingPrompt) return { type: 'prompt' };
  const flight = state.flight;
  const final = recogniseFinal(line);
  if (final) {
    if (flight?.aligned && !flight.markerSeen && final.kind === 'ok') return { type: 'unaligned-ok' };
    return { type: 'final', result: final };
  }
  if (flight) {
    const rest = echoRest(flight.echo, line);
    if (rest !== false) return { type: 'echo', rest };
  }
  if (flight?.aligned && line.startsWith(ALIGNMENT_ANSWER)) return { type: 'alignment' };
  const ownPrefix = flight?.prefix !== undefined && line.startsWith(flight.prefix);
  // A PDU body line is plain hex; anything else after a header is checked against the URCs (Huawei ^RSSI lands
  // between a +CMGR header and its PDU).
  const bodyLine = (flight?.expectBody ?? false) && HEX_LINE.test(line);
  if (!ownPrefix && !bodyLine) {
    const def = state.findUrc(line);
    if (def) return def.lines === 2 ? { type: 'urc-header', def, header: line } : { type: 'urc', def, lines: [line] };
  }
  if (!flight) return { type: 'ignored', during: 'idle' };
  if (flight.prefix === undefined || ownPrefix || bodyLine) {
    if (flight.lines.length >= MAX_RESPONSE_LINES) return { type: 'overflow' };
    return { type: 'response', expectBody: ownPrefix && flight.bodyLines };
  }
  return { type: 'ignored', during: 'command' };
}

/**
 * Echo may come whole, in pieces around a URC, or not at all; some modems keep echoing after ATE0. Returns the echo
 * still expected after `line` (undefined: all of it came), or false when `line` is no echo.
 */
function echoRest(echo: string | undefined, line: string): string | undefined | false {
  if (echo === undefined) return false;
  const text = line.endsWith(CTRL_Z) ? line.slice(0, -1) : line;
  if (text.toUpperCase() === echo.toUpperCase()) return undefined;
  if (text.length > 0 && echo.toUpperCase().startsWith(text.toUpperCase())) return echo.slice(text.length);
  return false;
}
