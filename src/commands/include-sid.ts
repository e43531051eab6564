import { isCommandSid, type ProductProfile } from './products.js';

export interface SplitSid {
  sid: string | null;
  /** The text without the SID and its separator; the whole text when no SID was found. */
  body: string;
  position: 'start' | 'end' | null;
}

const SID_LENGTH = 34;

/**
 * Takes the Command SID off a text added by `IncludeSid=start|end` (FACTS.md: "the SID and one space are added at the
 * start or end of the text"). Exactly one space separates them; anything else (two spaces, a tab, a SID glued to a
 * word) is left alone as ordinary text, because guessing would cut user data. Start is checked first: the cloud adds
 * one SID, so a text with a SID-looking word at both ends keeps its trailing one as body. A text that is only a SID
 * (an empty command) gives the SID and an empty body.
 */
export function splitIncludeSid(text: string, profile: ProductProfile): SplitSid {
  if (text.length === SID_LENGTH && isCommandSid(text, profile)) return { sid: text, body: '', position: 'start' };
  if (text.length >= SID_LENGTH + 1) {
    const head = text.slice(0, SID_LENGTH);
    if (text[SID_LENGTH] === ' ' && isCommandSid(head, profile)) {
      return { sid: head, body: text.slice(SID_LENGTH + 1), position: 'start' };
    }
    const tail = text.slice(-SID_LENGTH);
    if (text[text.length - SID_LENGTH - 1] === ' ' && isCommandSid(tail, profile)) {
      return { sid: tail, body: text.slice(0, -SID_LENGTH - 1), position: 'end' };
    }
  }
  return { sid: null, body: text, position: null };
}
