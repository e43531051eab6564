import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Datagram, IpCommandEndpoint, IpPayloadTooLargeError } from '../../src/ip/index.js';
import { silentLogger } from '../../src/util/index.js';
import { waitFor } from '../helpers/wait.js';

// Real UDP on loopback: 127.0.0.1 plays the cloud's source address, 127.0.0.2 a stranger on the same link.
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function socketOn(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  cleanup.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return socket;
}

async function endpoint(allowedSources = ['127.0.0.1']) {
  const created = new IpCommandEndpoint({
    bindAddress: '127.0.0.1',
    port: 0,
    allowedSources,
    now: () => 1_700_000_000_000,
    logger: silentLogger(),
  });
  await created.start();
  cleanup.push(() => created.stop());
  const seen: Datagram[] = [];
  created.onDatagram((d) => seen.push(d));
  return { endpoint: created, seen };
}

function send(socket: Socket, payload: Buffer, port: number) {
  return new Promise<void>((resolve, reject) =>
    socket.send(payload, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
}

describe('IpCommandEndpoint', () => {
  it('hands on a datagram from an allowed source with its bytes, source and time', async () => {
    const { endpoint: ep, seen } = await endpoint();
    const cloud = await socketOn('127.0.0.1');
    await send(cloud, Buffer.from([1, 2, 3]), ep.address.port);
    await waitFor('the datagram', () => seen.length === 1, 5_000);
    expect(seen[0]).toEqual({
      payload: Buffer.from([1, 2, 3]),
      from: { address: '127.0.0.1', port: (cloud.address() as AddressInfo).port },
      receivedAt: 1_700_000_000_000,
    });
    expect(ep.stats).toMatchObject({ received: 1, dropped_source: 0 });
  });

  it('drops and counts datagrams from other sources and over 1300 bytes; never hands them on', async () => {
    const { endpoint: ep, seen } = await endpoint();
    const stranger = await socketOn('127.0.0.2');
    const cloud = await socketOn('127.0.0.1');
    await send(stranger, Buffer.from('reboot'), ep.address.port);
    await send(cloud, Buffer.alloc(1301), ep.address.port);
    await send(cloud, Buffer.alloc(1300), ep.address.port);
    await waitFor(
      'three datagrams',
      () => ep.stats.received + ep.stats.dropped_source + ep.stats.dropped_size === 3,
      5_000,
    );
    expect(ep.stats).toMatchObject({ received: 1, dropped_source: 1, dropped_size: 1 });
    expect(seen.map((d) => d.payload.length)).toEqual([1300]);
  });

  it('sends one datagram (resolving when it left the socket); refuses 1301 bytes before sending', async () => {
    const { endpoint: ep } = await endpoint();
    const device = await socketOn('127.0.0.1');
    const got: Buffer[] = [];
    device.on('message', (m) => got.push(m));
    const to = { address: '127.0.0.1', port: (device.address() as AddressInfo).port };
    await ep.send(Buffer.alloc(1300, 7), to);
    await expect(ep.send(Buffer.alloc(1301), to)).rejects.toBeInstanceOf(IpPayloadTooLargeError);
    await waitFor('the datagram at the device', () => got.length === 1, 5_000);
    expect(got[0]!.length).toBe(1300);
    expect(ep.stats.sent).toBe(1);
  });

  it('binding to an address that is not local fails start with the OS error', async () => {
    const ep = new IpCommandEndpoint({
      bindAddress: '192.0.2.1',
      port: 0,
      allowedSources: [],
      now: Date.now,
      logger: silentLogger(),
    });
    await expect(ep.start()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
