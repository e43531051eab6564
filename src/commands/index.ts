/**
 * src/commands: M2M Command semantics, pure (imports only src/sms). Product profiles, IncludeSid, the sender
 * allow-list, inbound SMS → `command/received` records, multipart keys for the journal, and `command/send` validation.
 */

export {
  type CommandRecord,
  commandFromMessage,
  commandFromSms,
  type InboundMessage,
  type InboundOptions,
  type InboundSms,
  messageFromSms,
  type RejectedRecord,
  rejectedFromMessage,
} from './inbound.js';
export { type SplitSid, splitIncludeSid } from './include-sid.js';
export { commandFromDatagram, type DatagramInput, type IpCommandRecord } from './ip-inbound.js';
export { asksForIp, type IpReplyRequest, MAX_IP_REPLY_BYTES, parseIpReply } from './ip-reply.js';
export { assembleStoredParts, type MultipartKeys, multipartKeys, type StoredPartInput } from './multipart.js';
export {
  isCommandSid,
  PRODUCT_NAMES,
  PRODUCTS,
  type ProductName,
  type ProductProfile,
  productProfile,
  UnknownProductError,
} from './products.js';
export {
  MAX_BINARY_BYTES,
  MAX_REPLY_PAYLOAD_BYTES,
  parseReply,
  type ReplyErrorCode,
  type ReplyOptions,
  type ReplyRequest,
  ReplyValidationError,
  submitOptionsFor,
} from './reply.js';
export { type SenderCheck, type SenderPolicy, senderDigits, senderPolicy } from './senders.js';
