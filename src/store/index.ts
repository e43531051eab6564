/**
 * src/store: the durable journal (ARCHITECTURE.md invariants 1 and 2). `Journal` is the contract; `openSqliteJournal`
 * is the implementation (better-sqlite3, WAL, synchronous=FULL); test/store/journal.contract.ts checks any other.
 */
export { JournalError, type JournalErrorCode } from './errors.js';
export type { HolderAlive, JournalHolder } from './holder.js';
export type {
  HistoryItem,
  HistoryQuery,
  InboundEntry,
  InboundInput,
  InboundKind,
  InboundState,
  InterruptedPolicy,
  Journal,
  JournalCounts,
  PartEntry,
  PartInput,
  PendingGroup,
  PruneResult,
  Recorded,
  ReplyEntry,
  ReplyError,
  ReplyInput,
  ReplyMode,
  ReplyProgress,
  ReplyState,
  StatusEvent,
  StatusReportInput,
  StorageUsage,
  Transport,
} from './journal.js';
export type { SqliteRefusedPins } from './refused-pins.js';
export { type SalvagedTable, type SalvageReport, salvageJournal } from './salvage.js';
export { SCHEMA_VERSION } from './schema.js';
export { SqliteJournal, type SqliteJournalOptions } from './sqlite-journal.js';
export { openSqliteJournal } from './sqlite-open.js';
