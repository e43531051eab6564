// The modem driver: modem semantics (init, receive, send, recovery) on top of src/at and src/sms.
export { type AskModem, type CellReadOptions, readCellDetail } from './cell-detail.js';
export type { ConsoleQuery } from './console-command.js';
export { initializeModem, ModemInitError, simIdOf, syncModem } from './init.js';
export { Modem, type ModemEventMap, type ModemOptions } from './modem.js';
export { type CellDetail, EMPTY_CELL } from './parsers/cell.js';
export { type CnmiSetting, cnmiCandidates } from './parsers/cnmi.js';
export { parseIccid, parseImei, parseImsi, parseTextAnswer } from './parsers/identity.js';
export {
  isRegistered,
  type Operator,
  parseCesq,
  parseCops,
  parseCsq,
  parseRegistrationQuery,
  parseRegistrationUrc,
  type Registration,
  type Signal,
  type SignalQuality,
} from './parsers/network.js';
export {
  parseClckStatus,
  parseCpinState,
  RETRY_QUERIES,
  type RetryQuery,
  type SimRetries,
} from './parsers/sim-lock.js';
export { parseCsca } from './parsers/sms-centre.js';
export { parseCmgl, parseCmgr, type SmsListResult, type StoredPdu } from './parsers/sms-list.js';
export { chooseMemory, type MemoryUse, parseCpmsTest, parseCpmsUsage } from './parsers/storage.js';
export { parseCmgs, parseDirectHeader, parseStorageNotice, type StorageNotice } from './parsers/urc.js';
export { type ModemProfileName, type ModemQuirks, QUIRKS, selectQuirks } from './quirks/index.js';
export { validateParts } from './send.js';
export { classifyCms, SendError, type SendFailureClass } from './send-error.js';
export {
  type RefusedPinSet,
  RefusedPins,
  SIM_BLOCK_CAUSES,
  type SimBlock,
  type SimBlockCause,
  type SimLock,
} from './sim-block.js';
export { DEFAULT_TIMING, type ModemTiming } from './timing.js';
export {
  canSend,
  isInitialised,
  type MessageConsumer,
  MODEM_STATES,
  type ModemIdentity,
  type ModemState,
  type ModemStatus,
  type NetworkStatus,
  type ReceivedSms,
  type StorageStatus,
} from './types.js';
