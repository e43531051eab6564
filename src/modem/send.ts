import type { AtChannel } from '../at/channel.js';
import type { EncodedPart } from '../sms/index.js';
import { parseCmgs } from './parsers/urc.js';
import { SendError } from './send-error.js';

/**
 * Invariant 3 (ARCHITECTURE.md): only hex reaches the modem after the prompt, so nothing a user sent can become an AT
 * command. Every part is checked before the first one goes out, so a bad part 2 never leaves part 1 sent alone.
 */
export function validateParts(parts: readonly EncodedPart[]): void {
  for (const [i, part] of parts.entries()) {
    const ok =
      typeof part.pdu === 'string' &&
      /^(?:[0-9A-Fa-f]{2})+$/.test(part.pdu) &&
      Number.isInteger(part.tpdu_length) &&
      part.tpdu_length >= 1 &&
      part.tpdu_length <= 176 &&
      part.tpdu_length < part.pdu.length / 2;
    if (!ok) {
      throw new SendError(`part ${i + 1}: not a valid PDU (hex octets with tpdu_length 1..176 after the SMSC prefix)`, {
        classification: 'permanent',
        part: i,
        message_references: [],
        maybe_sent: false,
      });
    }
  }
}

/**
 * One part: `AT+CMGS=<tpdu_length>` → `> ` → PDU + Ctrl-Z → `+CMGS: <mr>` (3GPP TS 27.005 §3.5.1). Resolves with the
 * message reference, or -1 when the command ended with OK but no `+CMGS: <mr>` line. A conforming modem always prints
 * one for a sent SMS; a bare OK can also be a stray OK taken for the answer, so the outcome is unknown — callers must
 * never resend the part (the bridge reports it failed as outcome_unknown). The channel writes ESC if the prompt never
 * comes.
 */
export async function sendPart(channel: AtChannel, part: EncodedPart, timeoutMs: number): Promise<number> {
  const res = await channel.runWithPrompt(`AT+CMGS=${part.tpdu_length}`, part.pdu.toUpperCase(), {
    prefix: '+CMGS:',
    timeoutMs,
  });
  return parseCmgs(res.lines) ?? -1;
}
