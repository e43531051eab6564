import { describe, expect, it } from 'vitest';
import { UNKNOWN_MODEM } from '../../src/bridge/index.js';
import { daemonModemChecks } from '../../src/cli/doctor/daemon-checks.js';
import type { AtReply, DaemonAnswer } from '../../src/cli/doctor/mqtt-probe.js';

const READY_MODEM = {
  ...UNKNOWN_MODEM,
  status: 'ready' as const,
  reason: null,
  registration: 'home',
  signal: { rssi_dbm: -71, quality: 'good' },
  storage: { used: 0, total: 50 },
};

function checks(at: Record<string, AtReply>, modem: DaemonAnswer['health']['modem'] = READY_MODEM, pin = false) {
  const answer: DaemonAnswer = { health: { healthy: true, mqtt: 'connected', modem }, info: null, at };
  const { results } = daemonModemChecks(answer, pin);
  return (id: string) => results.find((result) => result.id === id);
}

const ok = (...lines: string[]): AtReply => ({ ok: true, lines, final: 'OK' });

describe('doctor, daemon running: the SIM and +CNMI lines from the daemon’s answers', () => {
  it('never passes what it could not read: an older daemon without the at request gives WARN lines', () => {
    const refused: AtReply = { ok: false, error: "unknown action 'at'; known: health_check, modem/restart, sweep" };
    const check = checks({ 'AT+CPIN?': refused, 'AT+CNMI?': refused });
    expect(check('sim.ready')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining("unknown action 'at'"),
    });
    expect(check('sms.cnmi')).toMatchObject({ status: 'warn', detail: expect.stringContaining("unknown action 'at'") });
  });

  it('fails a PIN-locked SIM from the refusal of the AT request when the modem state, read mid-retry, gives no reason', () => {
    const refused: AtReply = {
      ok: false,
      error: 'modem is not_initialized: SIM PIN required but modem.pin is not configured',
    };
    const initializing = { ...READY_MODEM, status: 'initializing' as const, reason: null };
    expect(checks({ 'AT+CPIN?': refused, 'AT+CNMI?': refused }, initializing)('sim.ready')).toMatchObject({
      status: 'fail',
      detail: 'the daemon reports: SIM PIN required but modem.pin is not configured',
      hint: expect.stringContaining('modem.pin_file'),
    });
  });

  it('warns when new SMS are handed over unstored (mt=2), and when the modem answers +CNMI? with an error', () => {
    expect(checks({ 'AT+CNMI?': ok('+CNMI: 2,2,0,1,0') })('sms.cnmi')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('without being stored'),
    });
    expect(checks({ 'AT+CNMI?': { ok: true, lines: [], final: '+CME ERROR: 4' } })('sms.cnmi')?.status).toBe('warn');
  });

  it('judges AT+CPIN? as the direct probe does: PUK and no SIM fail, a PIN the daemon will enter warns', () => {
    expect(checks({ 'AT+CPIN?': ok('+CPIN: SIM PUK') })('sim.ready')?.detail).toBe('the SIM is PUK-locked');
    expect(checks({ 'AT+CPIN?': { ok: true, lines: [], final: '+CME ERROR: 10' } })('sim.ready')).toMatchObject({
      status: 'fail',
      hint: expect.stringContaining('insert it'),
    });
    expect(checks({ 'AT+CPIN?': ok('+CPIN: SIM PIN') }, READY_MODEM, true)('sim.ready')?.status).toBe('warn');
  });

  it('explains a rejected PIN from the daemon’s reason when the port is closed after the failed init', () => {
    const modem = {
      ...READY_MODEM,
      status: 'not_initialized' as const,
      reason:
        'SIM locked: the configured PIN was refused and is not sent again (2 tries left); fix modem.pin, then reload (SIGHUP)',
    };
    const closed: AtReply = { ok: false, error: 'modem is not_initialized: SIM locked' };
    expect(checks({ 'AT+CPIN?': closed }, modem, true)('sim.ready')).toMatchObject({
      status: 'fail',
      hint: expect.stringContaining('never sends a refused PIN again'),
    });
  });
});
