import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, stream: stream as unknown as NodeJS.WritableStream & { write(s: string): boolean } };
}

describe('createLogger', () => {
  it('writes JSON lines with secrets redacted at any of the first levels', () => {
    const out = capture();
    const log = createLogger({ level: 'debug', destination: out.stream, name: 'modem' });
    log.info({ pin: '1234', config: { mqtt: { password: 'hunter2' }, auth_token: 'tok' }, port: '/dev/ttyUSB2' }, 'hi');
    expect(out.lines).toHaveLength(1);
    const rec = JSON.parse(out.lines[0]!);
    expect(rec).toMatchObject({ name: 'modem', msg: 'hi', port: '/dev/ttyUSB2', pin: '[redacted]' });
    expect(rec.config.mqtt.password).toBe('[redacted]');
    expect(rec.config.auth_token).toBe('[redacted]');
    expect(out.lines[0]).not.toContain('hunter2');
  });

  it('redacts the keys it is given instead of the defaults', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, secretKeys: ['token'] });
    log.info({ token: 'x', pin: '1' });
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ token: '[redacted]', pin: '1' });
  });

  it('honours the level and child bindings', () => {
    const out = capture();
    const log = createLogger({ level: 'warn', destination: out.stream });
    log.info('dropped');
    log.child({ component: 'at' }).warn({ secret: 's' }, 'kept');
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ component: 'at', msg: 'kept', secret: '[redacted]' });
  });

  it('pretty-prints when asked, still redacting', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, pretty: true });
    log.info({ password: 'hunter2' }, 'pretty line');
    const text = out.lines.join('\n');
    expect(text).toContain('pretty line');
    expect(text).not.toContain('hunter2');
  });
});
