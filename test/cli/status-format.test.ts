import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/status-format.js';

/** The `status` answer as the terminal shows it: what the modem did not report says so, in words. */
const answer = (modem: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  formatStatus({ daemon: {}, modem: { status: 'ready', identity: {}, ...modem }, ...extra });

const NULL_CELL = {
  mcc: null,
  mnc: null,
  lac: null,
  tac: null,
  cell_id: null,
  access_technology: null,
  band: null,
  earfcn: null,
  rsrp_dbm: null,
  rsrq_db: null,
  sinr_db: null,
};

describe('formatStatus: cell, SMS centre, paths', () => {
  it('a GSM cell without a vendor query: the LAC, and "not reported" for what only the vendor knows', () => {
    const text = answer({
      cell: { ...NULL_CELL, mcc: '310', mnc: '260', lac: '1A2B', cell_id: '9878', access_technology: 'GSM' },
      sms_centre: '+12063130004',
    });
    expect(text).toMatch(
      /^cell\s+MCC 310 MNC 260, LAC 1A2B, cell 9878 \(GSM, band not reported, EARFCN not reported\)$/m,
    );
    expect(text).toMatch(/^radio\s+RSRP not reported, RSRQ not reported, SINR not reported$/m);
    expect(text).toMatch(/^sms centre\s+\+12063130004$/m);
  });

  it('a modem that reports nothing of its cell, and a SIM without an SMS centre', () => {
    const text = answer({ cell: NULL_CELL, sms_centre: '' });
    expect(text).toMatch(/^cell\s+not reported by this modem$/m);
    expect(text).not.toMatch(/^radio/m);
    expect(text).toMatch(/^sms centre\s+none set \(every reply will fail with \+CMS ERROR: 330\)$/m);
  });

  it('a modem that could not be asked: why, for the cell and the SMS centre', () => {
    const text = answer({ cell: null, sms_centre: null, detail_unavailable: 'modem is initializing' });
    expect(text).toMatch(/^cell\s+not read: modem is initializing$/m);
    expect(text).toMatch(/^sms centre\s+not read: modem is initializing$/m);
  });

  it('the paths, and a daemon that runs without a config file', () => {
    const text = answer(
      {},
      { paths: { config_file: null, serial_port: '/dev/m2m-modem', journal: '/var/lib/m2m-bridge/journal.db' } },
    );
    expect(text).toMatch(
      /^paths\s+config none \(environment and defaults\), serial \/dev\/m2m-modem, journal \/var\/lib\/m2m-bridge\/journal\.db$/m,
    );
  });
});
