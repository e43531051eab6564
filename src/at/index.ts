export {
  AtChannel,
  type AtChannelOptions,
  type AtResponse,
  type CommandOptions,
  type PromptCommandOptions,
} from './channel.js';
export { DEFAULT_TIMEOUT_MS, defaultTimeoutFor, maskCommand } from './command-timeouts.js';
export { CME_ERRORS, CMS_ERRORS, codeForText, textForCode } from './error-codes.js';
export { AtError, type AtErrorDetails, type AtErrorKind, isAtError } from './errors.js';
export { type FinalResult, recogniseFinal } from './final-result.js';
export { AtFramer, type AtFramerOptions, type AtToken } from './framer.js';
export {
  type OpenTransportOptions,
  parseTcpUrl,
  serialTransport,
  tcpTransport,
  transportForPath,
} from './serial-transport.js';
export { StreamTransport, type Transport, TransportError, type TransportFactory } from './transport.js';
export { type UrcDefinition, UrcRegistry } from './urc-registry.js';
