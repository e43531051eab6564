import { describe, expect, it, vi } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { AtError } from '../../src/at/errors.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { ManualClock } from '../../src/util/manual-clock.js';
import { FakeTransport } from './fake-transport.js';
import { splits } from './wire.js';

function setup(clock = systemClock) {
  const transport = new FakeTransport();
  const urcs = new UrcRegistry();
  const seen: string[][] = [];
  urcs.register({ name: 'cmti', match: '+CMTI:', handler: (l) => seen.push(l) });
  urcs.register({ name: 'cmt', match: '+CMT:', lines: 2, handler: (l) => seen.push(l) });
  urcs.register({ name: 'creg', match: '+CREG:', handler: (l) => seen.push(l) });
  urcs.register({ name: 'rdy', match: 'RDY', handler: (l) => seen.push(l) });
  const channel = new AtChannel({ transport, clock, logger: silentLogger(), urcs });
  return { transport, channel, seen };
}

const CMGL_WITH_URCS =
  'AT+CMGL=4\r\r\n+CMGL: 1,0,,23\r\n07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07\r\n' +
  '+CMTI: "SM",2\r\n+CMT: ,24\r\n0791AABBCCDD\r\n\r\nOK\r\n';

describe('AtChannel', () => {
  it('routes a URC and a two-line URC arriving between a +CMGL header and OK, at every byte boundary', async () => {
    for (const chunks of splits(CMGL_WITH_URCS)) {
      const { transport, channel, seen } = setup();
      transport.script = () => chunks;
      const res = await channel.run('AT+CMGL=4', { prefix: '+CMGL:', bodyLines: true });
      expect(res.lines).toEqual([
        '+CMGL: 1,0,,23',
        '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07',
      ]);
      expect(seen).toEqual([['+CMTI: "SM",2'], ['+CMT: ,24', '0791AABBCCDD']]);
    }
  });

  it('a +CMT header whose PDU line was lost does not swallow the OK of the command in flight', async () => {
    const { transport, channel, seen } = setup();
    transport.script = () => '\r\n+CMT: ,24\r\nOK\r\n';
    await expect(channel.run('AT')).resolves.toMatchObject({ lines: [] });
    expect(seen).toEqual([]);
  });

  it('runs the prompt exchange with a URC before the prompt, strips the PDU echo, returns +CMGS', async () => {
    const { transport, channel, seen } = setup();
    transport.script = (data) =>
      data === 'AT+CMGS=13\r' ? '\r\n+CMTI: "ME",4\r\n\r\n> ' : '0011000B\x1a\r\n+CMGS: 42\r\n\r\nOK\r\n';
    const res = await channel.runWithPrompt('AT+CMGS=13', '0011000B', { prefix: '+CMGS:' });
    expect(res.lines).toEqual(['+CMGS: 42']);
    expect(transport.written).toEqual(['AT+CMGS=13\r', '0011000B\x1a']);
    expect(seen).toEqual([['+CMTI: "ME",4']]);
  });

  it('accepts a prompt sent as a bare ">" line', async () => {
    const { transport, channel } = setup();
    transport.script = (data) => (data === 'AT+CMGS=13\r' ? '\r\n>\r\n' : '\r\n+CMGS: 9\r\n\r\nOK\r\n');
    expect((await channel.runWithPrompt('AT+CMGS=13', '0011', { prefix: '+CMGS:' })).lines).toEqual(['+CMGS: 9']);
  });

  it('a doubled "> " prompt is not cancelled with ESC: the PDU goes into the input mode and +CMGS answers', async () => {
    const { transport, channel } = setup();
    transport.script = (data) =>
      data === 'AT+CMGS=13\r' ? '\r\n> \r\n> ' : data === '0011\x1a' ? '\r\n+CMGS: 5\r\n\r\nOK\r\n' : '\r\nOK\r\n';
    const res = await channel.runWithPrompt('AT+CMGS=13', '0011', { prefix: '+CMGS:' });
    expect(res.lines).toEqual(['+CMGS: 5']);
    expect(transport.written).toEqual(['AT+CMGS=13\r', '0011\x1a']);
  });

  it('cancels an unexpected "> " prompt with ESC so the next command is not swallowed as text', async () => {
    const { transport } = setup();
    transport.feed('\r\n> ');
    await new Promise((r) => setImmediate(r));
    expect(transport.written).toEqual(['\x1b']);
  });

  it('writes ESC when the prompt never comes and reports a timeout', async () => {
    const clock = new ManualClock();
    const { transport, channel } = setup(clock);
    transport.script = () => undefined;
    const p = channel.runWithPrompt('AT+CMGS=13', '00', { promptTimeoutMs: 1000 });
    await clock.advanceAsync(1000);
    await expect(p).rejects.toMatchObject({ kind: 'timeout', message: 'AT+CMGS=13: no "> " prompt within 1000 ms' });
    expect(transport.written).toEqual(['AT+CMGS=13\r', '\x1b']);
  });

  it('an error instead of the prompt rejects with the +CMS code', async () => {
    const { transport, channel } = setup();
    transport.script = () => '\r\n+CMS ERROR: 304\r\n';
    await expect(channel.runWithPrompt('AT+CMGS=13', '00')).rejects.toMatchObject({
      kind: 'cms',
      code: 304,
      modemText: 'invalid PDU mode parameter',
    });
  });

  it('a stale OK before the prompt fails the send as not sent and leaves input mode', async () => {
    const { transport, channel } = setup();
    transport.script = (data) => (data.startsWith('AT+CMGS') ? '\r\n+CMGS: 3\r\n\r\nOK\r\n' : undefined);
    await expect(channel.runWithPrompt('AT+CMGS=13', '0011', { prefix: '+CMGS:' })).rejects.toMatchObject({
      kind: 'error',
      message: expect.stringContaining('late answer'),
    });
    expect(transport.written).toEqual(['AT+CMGS=13\r', '\x1b']);
  });

  it('strips echo even after ATE0, also when a URC splits the echo', async () => {
    const { transport, channel, seen } = setup();
    transport.script = () => 'AT+CG\r\n+CMTI: "SM",9\r\nMI\r\r\nQuectel\r\n\r\nOK\r\n';
    const res = await channel.run('AT+CGMI');
    expect(res.lines).toEqual(['Quectel']);
    expect(seen).toEqual([['+CMTI: "SM",9']]);
  });

  it('treats a line with the command prefix as response, not as the same-named URC', async () => {
    const { transport, channel, seen } = setup();
    transport.script = () => '\r\n+CREG: 0,5\r\n\r\nOK\r\n';
    expect((await channel.run('AT+CREG?', { prefix: '+CREG:' })).lines).toEqual(['+CREG: 0,5']);
    transport.feed('\r\n+CREG: 1\r\n');
    expect(seen).toEqual([['+CREG: 1']]);
  });

  it('turns +CME ERROR into an AtError with the code and the modem text; PINs are masked', async () => {
    const { transport, channel } = setup();
    transport.script = () => '\r\n+CME ERROR: 16\r\n';
    const error = await channel.run('AT+CPIN="1234"').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtError);
    expect(error).toMatchObject({
      kind: 'cme',
      code: 16,
      modemText: 'incorrect password',
      command: 'AT+CPIN=<redacted>',
    });
    expect((error as Error).message).not.toContain('1234');
  });

  it('keeps one command in flight: the second is written only after the first finished', async () => {
    const { transport, channel } = setup();
    const replies: string[] = [];
    transport.script = (d) => {
      replies.push(d);
      return undefined;
    };
    const a = channel.run('AT+A');
    const b = channel.run('AT+B');
    await new Promise((r) => setImmediate(r));
    expect(transport.written).toEqual(['AT+A\r']);
    transport.feed('\r\nOK\r\n');
    await a;
    await new Promise((r) => setImmediate(r));
    expect(transport.written).toEqual(['AT+A\r', 'AT+B\r']);
    transport.feed('\r\nERROR\r\n');
    await expect(b).rejects.toMatchObject({ kind: 'error' });
  });

  it('arms the deadline only after a backpressured write completed, and counts consecutive timeouts', async () => {
    const clock = new ManualClock();
    const { transport, channel } = setup(clock);
    let open!: () => void;
    transport.writeGate = new Promise((r) => {
      open = r;
    });
    const p = channel.run('AT', { timeoutMs: 100 });
    await clock.advanceAsync(5000); // the write is still blocked: no deadline yet
    open();
    await clock.advanceAsync(99);
    transport.feed('OK\r\n');
    await expect(p).resolves.toMatchObject({ lines: [] });
    transport.writeGate = undefined;
    const late = channel.run('AT', { timeoutMs: 100 });
    await clock.advanceAsync(100);
    await expect(late).rejects.toMatchObject({ kind: 'timeout', message: 'AT: no final result within 100 ms' });
    expect(channel.consecutiveTimeouts).toBe(1);
  });

  it('rejects the command in flight with kind disconnected when the port goes away, and later commands too', async () => {
    const { transport, channel } = setup();
    const closed: string[] = [];
    channel.onClose((e) => closed.push(e.kind));
    const p = channel.run('AT+CMGL=4');
    await new Promise((r) => setImmediate(r));
    transport.drop(new Error('EIO'));
    await expect(p).rejects.toMatchObject({ kind: 'disconnected' });
    await expect(channel.run('AT')).rejects.toMatchObject({ kind: 'disconnected' });
    expect(closed).toEqual(['disconnected']);
  });

  it('close() cancels the command in flight', async () => {
    const { channel } = setup();
    const p = channel.run('AT');
    await new Promise((r) => setImmediate(r));
    channel.close();
    await expect(p).rejects.toMatchObject({ kind: 'canceled' });
  });

  it('abortInFlight() fails a command the rebooted modem will never answer at once, and the channel keeps working', async () => {
    const clock = new ManualClock();
    const { transport, channel } = setup(clock);
    transport.script = () => undefined;
    const read = channel.run('AT+CMGR=3', { timeoutMs: 60_000 });
    await new Promise((r) => setImmediate(r));
    expect(channel.abortInFlight('modem rebooted')).toBe(true);
    // No clock advance: the error comes now, not after the 60 s deadline.
    await expect(read).rejects.toMatchObject({
      kind: 'interrupted',
      message: 'AT+CMGR=3: modem rebooted',
      afterInput: false,
    });
    expect(channel.consecutiveTimeouts).toBe(0);
    expect(channel.abortInFlight('again')).toBe(false);
    transport.script = () => '\r\nOK\r\n';
    await expect(channel.run('AT')).resolves.toMatchObject({ lines: [] });
  });

  it('abortInFlight() during a send says whether the PDU had been written', async () => {
    const { transport, channel } = setup(new ManualClock());
    transport.script = () => undefined;
    const beforePrompt = channel.runWithPrompt('AT+CMGS=13', '0011', { timeoutMs: 60_000 });
    await new Promise((r) => setImmediate(r));
    channel.abortInFlight('modem rebooted');
    await expect(beforePrompt).rejects.toMatchObject({ kind: 'interrupted', afterInput: false });
    // No ESC: the input mode it would leave belonged to the firmware that rebooted.
    expect(transport.written).toEqual(['AT+CMGS=13\r']);

    transport.script = (data) => (data === 'AT+CMGS=13\r' ? '\r\n> ' : undefined);
    const afterPdu = channel.runWithPrompt('AT+CMGS=13', '0011', { timeoutMs: 60_000 });
    await vi.waitFor(() => expect(transport.written.at(-1)).toBe('0011\x1a'));
    channel.abortInFlight('modem rebooted');
    await expect(afterPdu).rejects.toMatchObject({ kind: 'interrupted', afterInput: true });
  });

  it('ignores unknown unsolicited lines and stray finals while idle, and keeps working', async () => {
    const { transport, channel } = setup();
    transport.feed('\r\n^RSSI: 12\r\nOK\r\n\xff\xfe\r\n');
    transport.script = () => '\r\nOK\r\n';
    await expect(channel.run('AT')).resolves.toMatchObject({ lines: [] });
  });

  it('survives a throwing URC handler', async () => {
    const { transport, channel } = setup();
    const urcs = new UrcRegistry();
    urcs.register({
      name: 'boom',
      match: /^\^BOOT/,
      handler: () => {
        throw new Error('bad handler');
      },
    });
    const ch = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs });
    transport.script = () => '^BOOT:1\r\nOK\r\n';
    await expect(ch.run('AT')).resolves.toMatchObject({ lines: [] });
    void channel;
  });
});
