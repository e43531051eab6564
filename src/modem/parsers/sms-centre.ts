import { afterPrefix, splitFields, unquote } from './fields.js';

/**
 * The SMS centre from `+CSCA: <sca>,<tosca>` (TS 27.005 §3.3.1): the address, `''` when the SIM has none set, or
 * undefined when the answer has no +CSCA line. Some firmware prints the address in UCS-2 hex when +CSCS is "UCS2";
 * the driver keeps +CSCS at GSM, so the text is taken as it stands.
 */
export function parseCsca(lines: readonly string[]): string | undefined {
  const text = afterPrefix(lines, '+CSCA:');
  if (text === undefined) return undefined;
  return unquote(splitFields(text)[0] ?? '');
}
