/**
 * The MQTT topic map (ARCHITECTURE.md, "MQTT topics"). Every topic the bridge uses is derived here from
 * `mqtt.base_topic`, so no other module builds topic strings by hand.
 */
export interface Topics {
  bridgeState: string;
  bridgeInfo: string;
  modemState: string;
  commandReceived: string;
  commandSend: string;
  commandStatus: string;
  smsRejected: string;
  /** Wildcard subscription for every request action. */
  requestFilter: string;
  request(action: string): string;
  response(action: string): string;
  /** The action named by a request topic, or null when the topic is not a request. */
  actionOf(topic: string): string | null;
}

/** MQTT topic levels must not carry wildcards or be empty; a base topic is one or more plain levels. */
function assertValidBaseTopic(base: string): void {
  if (base.length === 0) throw new Error('mqtt.base_topic: expected a non-empty topic, got ""');
  if (/[#+\u0000]/.test(base)) throw new Error(`mqtt.base_topic: expected no wildcards (+ #), got "${base}"`);
  if (base.startsWith('/') || base.endsWith('/') || base.includes('//'))
    throw new Error(`mqtt.base_topic: expected levels without empty parts, got "${base}"`);
}

export function topicsFor(base: string): Topics {
  assertValidBaseTopic(base);
  const requestPrefix = `${base}/bridge/request/`;
  return {
    bridgeState: `${base}/bridge/state`,
    bridgeInfo: `${base}/bridge/info`,
    modemState: `${base}/modem/state`,
    commandReceived: `${base}/command/received`,
    commandSend: `${base}/command/send`,
    commandStatus: `${base}/command/status`,
    smsRejected: `${base}/sms/rejected`,
    requestFilter: `${requestPrefix}#`,
    request: (action) => `${requestPrefix}${action}`,
    response: (action) => `${base}/bridge/response/${action}`,
    actionOf: (topic) =>
      topic.startsWith(requestPrefix) && topic.length > requestPrefix.length ? topic.slice(requestPrefix.length) : null,
  };
}
