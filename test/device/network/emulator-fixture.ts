import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulatorOptions } from '../../../device/network/index.js';
import { WirelessClient } from '../../../src/wireless/index.js';

export const ICCID = '8901260000000000001';

/** An emulator with one active SIM ("gateway-1") on an in-memory link, and a REST client pointed at it. */
export async function startFixture(options: WirelessEmulatorOptions = {}) {
  const link = new MemorySmsLink({ imei: '356938035643809' });
  const emulator = await startWirelessEmulator({
    sims: [{ iccid: ICCID, uniqueName: 'gateway-1', link }],
    ...options,
  });
  const client = new WirelessClient({
    baseUrl: emulator.wirelessBaseUrl,
    superSimBaseUrl: emulator.superSimBaseUrl,
    credentials: { accountSid: emulator.accountSid, authToken: emulator.authToken },
    retry: { maxRetries: 0 },
  });
  const sim = emulator.network.findSim('gateway-1')!;
  return {
    emulator,
    client,
    link,
    sim,
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback webhook receiver that records every request and answers 200; `next()` waits for the next one. */
export async function startWebhookReceiver() {
  const requests: RecordedRequest[] = [];
  const waiters: Array<(request: RecordedRequest) => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(recorded);
      res.writeHead(200).end();
      waiters.shift()?.(recorded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    next(timeoutMs = 5_000): Promise<RecordedRequest> {
      const seen = requests.length;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no webhook request arrived')), timeoutMs);
        const done = (request: RecordedRequest) => {
          clearTimeout(timer);
          resolve(request);
        };
        if (requests.length > seen) done(requests[seen]!);
        else waiters.push(done);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
