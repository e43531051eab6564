import type { Logger } from 'pino';
import type { BridgeResponsePayload } from './payloads.js';

/** A request action: takes the request's JSON object, returns the response's `data` or throws (→ status "error"). */
export type RequestAction = (request: Record<string, unknown>) => Promise<unknown>;

export interface RequestReply {
  topic: string;
  payload: BridgeResponsePayload;
  correlationData?: Buffer;
}

export interface RequestsOptions {
  actions: Record<string, RequestAction>;
  logger: Logger;
  /** Publishes a response (not awaited inside the MQTT handler: the handler must return for PUBACKs to flow). */
  respond(reply: RequestReply): void;
}

/** The same limit as command/send: a request is a few fields, so anything bigger is refused unread (invariant 3). */
const MAX_REQUEST_PAYLOAD_BYTES = 64 * 1024;

function transactionOf(request: Record<string, unknown>): string | null {
  const value = request.transaction;
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/**
 * `bridge/request/<action>` → `bridge/response/<action>` with `{status, data, error, transaction}` (the zigbee2mqtt
 * convention, STYLE.md). With MQTT 5 the response goes to the request's Response Topic and carries its Correlation
 * Data. Actions run after the request was acknowledged, so a slow one (a sweep, a modem restart) never holds up MQTT.
 */
export class RequestHandler {
  constructor(private readonly options: RequestsOptions) {}

  get actionNames(): string[] {
    return Object.keys(this.options.actions);
  }

  handle(
    action: string,
    payload: Buffer,
    defaultTopic: string,
    props: { responseTopic?: string; correlationData?: Buffer },
  ): void {
    const reply = (body: Omit<BridgeResponsePayload, 'transaction'>, transaction: string | null) =>
      this.options.respond({
        topic: props.responseTopic ?? defaultTopic,
        payload: { ...body, transaction },
        ...(props.correlationData ? { correlationData: props.correlationData } : {}),
      });

    if (payload.byteLength > MAX_REQUEST_PAYLOAD_BYTES) {
      this.options.logger.warn(
        { action, bytes: payload.byteLength },
        'bridge request payload too large; dropped unread',
      );
      const error = `payload of ${payload.byteLength} bytes is too large (limit ${MAX_REQUEST_PAYLOAD_BYTES})`;
      reply({ status: 'error', data: null, error }, null);
      return;
    }
    let request: Record<string, unknown> = {};
    const text = payload.toString('utf8').trim();
    if (text.length > 0) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('expected a JSON object');
        request = parsed as Record<string, unknown>;
      } catch (error) {
        reply({ status: 'error', data: null, error: `invalid request payload: ${(error as Error).message}` }, null);
        return;
      }
    }
    const transaction = transactionOf(request);
    // Own properties only: the action comes from the topic, and `bridge/request/constructor` or `…/__proto__` must not
    // find Object's members (a TypeError here refused the PUBACK, and the redelivery looped the connection forever).
    const run = Object.hasOwn(this.options.actions, action) ? this.options.actions[action] : undefined;
    if (!run) {
      reply(
        { status: 'error', data: null, error: `unknown action '${action}'; known: ${this.actionNames.join(', ')}` },
        transaction,
      );
      return;
    }
    run(request).then(
      (data) => reply({ status: 'ok', data: data ?? null, error: null }, transaction),
      (error: unknown) => {
        this.options.logger.warn({ action, err: error }, 'bridge request failed');
        reply(
          { status: 'error', data: null, error: error instanceof Error ? error.message : String(error) },
          transaction,
        );
      },
    );
  }
}
