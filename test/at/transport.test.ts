import { unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { parseTcpUrl, serialTransport, tcpTransport, transportForPath } from '../../src/at/serial-transport.js';
import { TransportError } from '../../src/at/transport.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { startTestModemSim } from '../helpers/sim.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A tiny TCP peer that answers every AT command with OK, like ser2net in front of a modem. */
async function startPeer(onSocket: (s: Socket) => void): Promise<number> {
  server = createServer(onSocket);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

describe('TCP transport', () => {
  it('carries an AT exchange and reports the peer closing as disconnected', async () => {
    let peer!: Socket;
    const port = await startPeer((s) => {
      peer = s;
      s.on('data', (d) => {
        if (String(d).startsWith('AT')) s.write('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
      });
    });
    const transport = tcpTransport(`tcp://127.0.0.1:${port}`);
    await transport.open();
    const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs: new UrcRegistry() });
    expect((await channel.run('AT+CSQ')).lines).toEqual(['+CSQ: 20,99']);
    const lost = new Promise((r) => channel.onClose(r));
    peer.destroy();
    await expect(lost).resolves.toMatchObject({ kind: 'disconnected' });
    expect(transport.isOpen).toBe(false);
  });

  it('fails to open with a TransportError naming the address when nobody listens', async () => {
    const port = await startPeer(() => {});
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    await expect(tcpTransport(`tcp://127.0.0.1:${port}`).open()).rejects.toThrow(TransportError);
  });

  it('parses tcp:// addresses and rejects malformed ones with a clear error', () => {
    expect(parseTcpUrl('tcp://10.0.0.5:4001')).toEqual({ host: '10.0.0.5', port: 4001 });
    expect(parseTcpUrl('tcp://[::1]:23')).toEqual({ host: '::1', port: 23 });
    expect(() => parseTcpUrl('tcp://host')).toThrow('expected tcp://host:port');
    expect(() => parseTcpUrl('tcp://host:99999')).toThrow(TransportError);
    expect(transportForPath('tcp://127.0.0.1:1').description).toBe('tcp://127.0.0.1:1');
    expect(transportForPath('/dev/serial/by-id/usb-x').description).toBe('/dev/serial/by-id/usb-x');
  });

  it('fails to open a serial path that does not exist', async () => {
    await expect(transportForPath('/nonexistent/tty-m2m-test').open()).rejects.toThrow(TransportError);
  });
});

describe('serial transport', () => {
  it('closes as disconnected when the device path disappears, even if serialport notices nothing', async () => {
    const sim = await startTestModemSim({ profile: 'generic' });
    try {
      const transport = serialTransport(sim.path, 115200, 100);
      await transport.open();
      const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs: new UrcRegistry() });
      expect((await channel.run('AT')).lines).toEqual([]);
      const lost = new Promise((r) => channel.onClose(r));
      // Only the link goes (the pty and socat live on): nothing reaches serialport, as in an unplug it misses.
      unlinkSync(sim.path);
      await expect(lost).resolves.toMatchObject({
        kind: 'disconnected',
        message: expect.stringContaining('disappeared (unplugged?)'),
      });
      expect(transport.isOpen).toBe(false);
    } finally {
      await sim.close();
    }
  });
});
