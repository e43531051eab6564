import type { ModemQuirks } from './types.js';

/** Plain 3GPP TS 27.005/27.007 with the URCs most firmware prints anyway. */
export const generic: ModemQuirks = {
  name: 'generic',
  matches: () => true,
  storageOrder: ['SM', 'ME', 'MT'],
  iccidCommands: [
    { command: 'AT+CCID', prefix: '+CCID:' },
    { command: 'AT+ICCID', prefix: '+ICCID:' },
    { command: 'AT+CRSM=176,12258,0,0,10' },
  ],
  resetCommand: 'AT+CFUN=1,1',
  rebootUrcs: ['RDY', 'START'],
  bootUrcs: ['+CPIN: READY', 'SMS Ready', 'SMS DONE', '+QIND: SMS DONE', 'PB DONE'],
  storageFullUrcs: [/^\+CIEV:\s*"?SMSFULL"?/i, /^\+QIND:\s*"smsfull"/i, /^\^SMMEMFULL/i],
  noiseUrcs: [
    'Call Ready',
    /^\+CFUN:/,
    /^\+CPIN: NOT READY/,
    /^\+QIND:/,
    /^\+QUSIM:/,
    /^\^(RSSI|HCSQ|MODE|SRVST|SIMST|NWTIME|DSFLOWRPT|BOOT|RSSILVL|CRSSI|SYSSTART|ACTIVEBAND|STIN|CEND|ORIG|CONF|CONN):?/,
    /^\*PSUTTZ:/,
    /^DST:/,
    /^\+CTZV:/,
    /^\+CTZE:/,
    /^\+CIEV:/,
    /^\+UUPSDA:/,
    /^\+CGEV:/,
  ],
  sendTimeoutMs: 120_000,
  servingCellQueries: [],
};
