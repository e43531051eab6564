import { JournalError, type SalvageReport, salvageJournal } from '../store/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';

const usage = `Usage: m2m-bridge journal salvage --from DAMAGED --to NEW [--json]

salvage  Copies every row that can still be read from a damaged journal (the daemon refused it with exit code 65:
         power loss, a bad SD card) into a NEW journal with the current schema, keeping row ids. Rows on lost pages are
         skipped and reported. DAMAGED is opened read-only and never changed; NEW must not exist. Put NEW where
         store.path points and start the daemon: it publishes and sends what the damaged journal had not yet done.
         Exit 0 with a report per table, 1 when DAMAGED cannot be read at all.
  --from FILE   the damaged journal (keep its -wal file beside it)
  --to FILE     the new journal to write
  --json        one JSON line with the report
`;

function printReport(report: SalvageReport, io: CliIo): void {
  io.stdout.write(`salvaged ${report.from} (schema ${report.schema_version}) into ${report.to}\n`);
  for (const table of report.tables) {
    const damage = table.error
      ? `  unreadable: ${table.error}`
      : table.unreadable.length > 0
        ? `  damaged pages skipped (${table.unreadable.join(', ')})`
        : '';
    io.stdout.write(`  ${table.table.padEnd(18)} ${String(table.copied).padStart(7)} rows${damage}\n`);
  }
  if (report.orphans > 0)
    io.stdout.write(`  ${report.orphans} rows refer to a row that was lost (e.g. parts of a lost reply)\n`);
}

function salvage(argv: string[], io: CliIo): number {
  const { values } = parseCommandArgs(
    argv,
    { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } },
    false,
  );
  if (!values.from || !values.to) throw new UsageError('salvage needs --from DAMAGED and --to NEW');
  try {
    const report = salvageJournal(values.from, values.to);
    if (values.json) writeJsonLine(io.stdout, report);
    else printReport(report, io);
    return 0;
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    io.stderr.write(`m2m-bridge journal salvage: ${error.message}\n`);
    return 1;
  }
}

export const command: CliCommand = {
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'salvage') return salvage(rest, io);
    throw new UsageError(sub === undefined ? 'expected a subcommand: salvage' : `unknown subcommand '${sub}'`);
  },
};
