/**
 * src/bridge: the MQTT side. `MqttConnection` (one client: persistent session, backoff, deferred PUBACK, LWT),
 * `Bridge` (inbound publishing from the journal, reply intake and sending, statuses, state, requests), the topic map
 * and the typed payloads. The modem is seen only through small ports (`SmsTransmitter`, `ModemControl`).
 */

export { type BaseTopicProbeOptions, type ProbeResult, probeBaseTopic, type TopicHolder } from './base-topic-probe.js';
export { Bridge, type BridgeOptions } from './bridge.js';
export { type BridgeEventMap, BridgeEvents, type ReplyOutcome } from './events.js';
export { HaDiscovery, type HaDiscoveryOptions, haNodeId } from './ha-discovery.js';
export { type HealthInput, type HealthVerdict, judgeHealth } from './health.js';
export { InboundIntake, type IncomingSms } from './inbound-intake.js';
export { type DatagramPort, IpCommands, type IpCommandsOptions } from './ip-commands.js';
export {
  type DataLinkView,
  MODEM_VIEW_STATUSES,
  type ModemControl,
  type ModemIdentityView,
  type ModemView,
  type ModemViewStatus,
  UNKNOWN_MODEM,
} from './modem-view.js';
export { type IncomingMessage, MqttConnection, type MqttConnectionOptions } from './mqtt-connection.js';
export {
  type Alarm,
  type BridgeResponsePayload,
  bridgeStatePayload,
  type CommandStatusPayload,
  type Origin,
} from './payloads.js';
export type { OutgoingPart, SmsTransmitter } from './reply-sender.js';
export type { RequestAction } from './requests.js';
export { SendFailure } from './send-failure.js';
export { type Topics, topicsFor } from './topics.js';
