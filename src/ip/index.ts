// The UDP transport of Super SIM IP Commands: binding to the cellular interface, the source allow-list, the
// 1300-byte limit, and the text/binary mapping of payloads. Knows nothing of MQTT, SMS or the journal.
export { BindAddressError, type BindTarget, type InterfaceTable, resolveBindAddress } from './bind-address.js';
export {
  type Datagram,
  IpCommandEndpoint,
  type IpEndpointOptions,
  type IpEndpointStats,
  IpSendError,
} from './endpoint.js';
export { DEFAULT_IP_COMMAND_PORT, DEFAULT_MO_ADDRESS, MAX_IP_COMMAND_BYTES } from './limits.js';
export { IpPayloadTooLargeError } from './payload.js';
