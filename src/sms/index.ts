// The SMS codec (3GPP TS 23.040 / 23.038): pure, no I/O, no clock. Everything other layers use is exported here.
export type { DataCoding, Encoding, MessageWaiting } from './dcs.js';
export { decodePdu } from './decode.js';
export { DEFAULT_SMSC, type DeliverOptions, encodeDeliver } from './encode-deliver.js';
export { encodeSubmit, type SubmitOptions } from './encode-submit.js';
export { PduError, SmsEncodeError } from './errors.js';
export type { PortOptions } from './options.js';
export { bytesToHex, hexToBytes } from './reader.js';
export {
  type AssembledMessage,
  assembleParts,
  type PartToAssemble,
  reassemblyKey,
} from './reassembly.js';
export { measureText } from './segment.js';
export { encodeStatusReport, type StatusReportOptions } from './status-report.js';
export type {
  DecodedDeliver,
  DecodedSms,
  DecodedStatusReport,
  DecodedSubmit,
  DecodeOptions,
  DeliveryStatus,
  EncodedPart,
} from './types.js';
export type { Concat, Ports, RawIe } from './udh.js';
export type { Validity } from './validity.js';
