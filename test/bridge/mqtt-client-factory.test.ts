import { describe, expect, it } from 'vitest';
import { plainTcpBroker } from '../../src/bridge/mqtt-client-factory.js';

// Which broker URLs get their socket straight from node:net (connectMqtt) and which still go through mqtt.connect:
// only those for which mqtt.connect itself would open a plain TCP socket, so the client behaves the same either way.

describe('plainTcpBroker', () => {
  it('takes mqtt:// and tcp:// with their host and port (1883 when none is given)', () => {
    expect(plainTcpBroker('mqtt://127.0.0.1:1883', {})).toEqual({ host: '127.0.0.1', port: 1883 });
    expect(plainTcpBroker('tcp://broker.local:11883/', {})).toEqual({ host: 'broker.local', port: 11883 });
    expect(plainTcpBroker('mqtt://broker.local', {})).toEqual({ host: 'broker.local', port: 1883 });
  });

  it('gives net.connect a bare IPv6 address', () => {
    expect(plainTcpBroker('mqtt://[::1]:1883', {})).toEqual({ host: '::1', port: 1883 });
  });

  it('leaves TLS, WebSocket and anything mqtt.connect would treat specially to mqtt.connect', () => {
    expect(plainTcpBroker('mqtts://broker:8883', {})).toBeNull();
    expect(plainTcpBroker('ws://broker:9001/mqtt', {})).toBeNull();
    expect(plainTcpBroker('wss://broker/mqtt', {})).toBeNull();
    // mqtt.connect reads options (clientId) from the query, and user:password from the URL.
    expect(plainTcpBroker('mqtt://broker:1883?clientId=x', {})).toBeNull();
    expect(plainTcpBroker('mqtt://user:pw@broker:1883', {})).toBeNull();
    // A client certificate and key turn mqtt:// into mqtts:// in mqtt.connect.
    expect(plainTcpBroker('mqtt://broker:1883', { cert: Buffer.from('c'), key: Buffer.from('k') })).toBeNull();
    // A SOCKS proxy, from the options or MQTTJS_SOCKS_PROXY.
    expect(plainTcpBroker('mqtt://broker:1883', { socksProxy: 'socks5://proxy:1080' })).toBeNull();
    expect(plainTcpBroker('mqtt://broker:1883', {}, 'socks5://proxy:1080')).toBeNull();
    expect(plainTcpBroker('not a url', {})).toBeNull();
  });
});
