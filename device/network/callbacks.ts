import { createHmac } from 'node:crypto';
import { request } from 'undici';

/**
 * Webhooks the emulated cloud calls: a Command's CallbackUrl when it finishes, a Sim's commands_callback_url when the
 * device sends a Command. Signed like the real API (X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token,
 * of the URL followed by the POST parameters sorted by name, each name then value —
 * twilio.com/docs/usage/security#validating-requests), so a receiver can test its signature check against it.
 */
export interface CallbackRequest {
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
}

export interface CallbackResult {
  request: CallbackRequest;
  status: number | null;
  error?: string;
}

export type CallbackSender = (callback: CallbackRequest) => Promise<CallbackResult>;

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** The default sender: undici, a short timeout, never throws (a failing webhook is the receiver's problem). */
export function createCallbackSender(authToken: string, timeoutMs = 5_000): CallbackSender {
  return async (callback) => {
    const form = new URLSearchParams(callback.params).toString();
    let url = callback.url;
    if (callback.method === 'GET') {
      const target = new URL(callback.url);
      for (const [key, value] of Object.entries(callback.params)) target.searchParams.append(key, value);
      url = target.toString();
    }
    const signature = twilioSignature(authToken, url, callback.method === 'POST' ? callback.params : {});
    try {
      const response = await request(url, {
        method: callback.method,
        headers: {
          'x-twilio-signature': signature,
          'user-agent': 'TwilioProxy/1.1 (m2m-bridge emulator)',
          ...(callback.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: callback.method === 'POST' ? form : undefined,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await response.body.dump();
      return { request: callback, status: response.statusCode };
    } catch (error) {
      return { request: callback, status: null, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
