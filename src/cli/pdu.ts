import { decodePdu, encodeSubmit, hexToBytes, PduError, SmsEncodeError } from '../sms/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';

const usage = `Usage: m2m-bridge pdu decode [HEX ...] [--no-smsc]
       m2m-bridge pdu encode --to NUMBER (--text TEXT | --hex BYTES) [--status-report] [--validity 1d]

decode  Decodes SMS PDUs (SMS-DELIVER, SMS-SUBMIT, SMS-STATUS-REPORT) as a modem prints them in +CMGR, +CMGL,
        +CMT and +CDS, and prints one JSON object per PDU. With no HEX, reads one PDU per line from stdin (blank
        lines skipped). An invalid PDU prints {"error","field","offset"} on its line; the exit code is then 1.
  --no-smsc         the PDUs start with the TPDU (no SMSC prefix)

encode  Encodes an SMS-SUBMIT and prints one JSON line per part: {"pdu","tpdu_length"}, the PDU with the 00 SMSC
        prefix as AT+CMGS=<tpdu_length> takes it. GSM 7-bit when every character fits, else UCS-2; concatenated
        parts when the text does not fit one SMS.
  --to NUMBER       destination: +international or digits (e.g. 2936)
  --text TEXT       the message text
  --hex BYTES       binary payload as hex, sent with 8-bit data coding
  --status-report   request a delivery status report
  --validity D      relative validity: 30m, 12h, 1d, 1w or seconds
`;

async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}

async function decode(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { 'no-smsc': { type: 'boolean' } });
  // An empty argument (`pdu decode "$PDU"` with PDU unset) is a mistake, not a request to decode nothing: printing
  // nothing and exiting 0 would look like success. Blank stdin lines stay skipped, as in a pasted log.
  if (positionals.some((hex) => hex.trim() === ''))
    throw new UsageError('empty HEX argument (give a PDU, or no HEX to read stdin)');
  const pdus = (positionals.length > 0 ? positionals : await readLines(io.stdin))
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  let failed = 0;
  for (const pdu of pdus) {
    try {
      writeJsonLine(io.stdout, decodePdu(pdu, { smsc: !values['no-smsc'] }));
    } catch (error) {
      if (!(error instanceof PduError)) throw error;
      failed++;
      writeJsonLine(io.stdout, { error: error.message, field: error.field, offset: error.offset });
    }
  }
  return failed > 0 ? 1 : 0;
}

function encode(argv: string[], io: CliIo): number {
  const { values } = parseCommandArgs(
    argv,
    {
      to: { type: 'string' },
      text: { type: 'string' },
      hex: { type: 'string' },
      'status-report': { type: 'boolean' },
      validity: { type: 'string' },
    },
    false,
  );
  if (!values.to) throw new UsageError('--to NUMBER is required');
  if ((values.text === undefined) === (values.hex === undefined))
    throw new UsageError('give exactly one of --text and --hex');
  let data: Uint8Array | undefined;
  if (values.hex !== undefined) {
    try {
      const clean = values.hex.replace(/\s+/g, '');
      data = clean === '' ? new Uint8Array(0) : hexToBytes(clean);
    } catch (error) {
      throw new UsageError(`--hex: ${error instanceof PduError ? error.detail : String(error)}`);
    }
  }
  try {
    const parts = encodeSubmit({
      to: values.to,
      ...(values.text !== undefined ? { text: values.text } : {}),
      ...(data ? { data } : {}),
      statusReport: values['status-report'] ?? false,
      ...(values.validity !== undefined ? { validity: values.validity } : {}),
    });
    for (const part of parts) writeJsonLine(io.stdout, part);
  } catch (error) {
    if (error instanceof SmsEncodeError) {
      const flag = error.field === 'data' ? 'hex' : error.field;
      throw new UsageError(`--${flag}: ${error.message.slice(error.field.length + 2)}`);
    }
    throw error;
  }
  return 0;
}

export const command: CliCommand = {
  usage,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action === 'decode') return decode(rest, io);
    if (action === 'encode') return encode(rest, io);
    throw new UsageError(action === undefined ? 'missing action: decode or encode' : `unknown action '${action}'`);
  },
};
