import { describe, expect, it } from 'vitest';
import { readCellDetail } from '../../src/modem/cell-detail.js';
import { generic, quectel, simcom } from '../../src/modem/quirks/index.js';

/**
 * A scripted modem for the reader alone (one layer, so an in-process fake): answers by command, null for a refusal,
 * and remembers every command so the tests can prove formats were put back and nothing extra was sent.
 */
function scripted(answers: Record<string, string[] | null | (() => string[] | null)>) {
  const sent: string[] = [];
  const ask = async (command: string): Promise<string[] | null> => {
    sent.push(command);
    const answer = answers[command];
    if (answer === undefined) return null;
    return typeof answer === 'function' ? answer() : answer;
  };
  return { sent, ask };
}

describe('readCellDetail', () => {
  it('a Quectel answers everything with its serving-cell query: nothing else is sent', async () => {
    const modem = scripted({
      'AT+QENG="servingcell"': [
        '+QENG: "servingcell","NOCONN","LTE","FDD",310,260,1A2D001,123,5110,12,5,5,1A2B,-90,-10,-60,165,40',
      ],
    });
    const cell = await readCellDetail(modem.ask, quectel, { mayChangeFormats: true });
    expect(cell).toMatchObject({ mcc: '310', mnc: '260', tac: '1A2B', cell_id: '1A2D001', band: '12', earfcn: 5110 });
    expect(cell).toMatchObject({ rsrp_dbm: -90, rsrq_db: -10, sinr_db: 13 });
    expect(modem.sent).toEqual(['AT+QENG="servingcell"']);
  });

  it('without a vendor answer it switches +COPS and +CEREG to the formats that carry the cell and back, in one line', async () => {
    const modem = scripted({
      'AT+CPSI?': null, // SIM800: no such command
      'AT+COPS?': ['+COPS: 0,0,"Twilio",0'],
      'AT+COPS=3,2;+COPS?;+COPS=3,0': ['+COPS: 0,2,"310260",0'],
      'AT+CEREG?': ['+CEREG: 0,0'],
      'AT+CREG?': ['+CREG: 1,1'],
      'AT+CREG=2;+CREG?;+CREG=1': ['+CREG: 2,1,"1A2B","01C3D4E5",0'],
      'AT+CESQ': ['+CESQ: 40,0,255,255,255,255'],
    });
    const cell = await readCellDetail(modem.ask, simcom, { mayChangeFormats: true });
    expect(cell).toMatchObject({ mcc: '310', mnc: '260', lac: '1A2B', cell_id: '01C3D4E5', access_technology: 'GSM' });
    // What a GSM modem without a serving-cell query cannot tell: "not reported".
    expect(cell).toMatchObject({ band: null, earfcn: null, rsrp_dbm: null, rsrq_db: null, sinr_db: null });
    // +CEREG is not registered on a GSM modem: no location to switch on for.
    expect(modem.sent).toEqual([
      'AT+CPSI?',
      'AT+COPS?',
      'AT+COPS=3,2;+COPS?;+COPS=3,0',
      'AT+CEREG?',
      'AT+CREG?',
      'AT+CREG=2;+CREG?;+CREG=1',
      'AT+CESQ',
    ]);
  });

  it('a modem that refuses the joined line keeps what the plain query said', async () => {
    const modem = scripted({
      'AT+COPS?': ['+COPS: 0,0,"Twilio",7'],
      'AT+CEREG?': ['+CEREG: 0,1'],
      'AT+CESQ': ['+CESQ: 99,99,255,255,20,50'],
    });
    const cell = await readCellDetail(modem.ask, generic, { mayChangeFormats: true });
    expect(cell).toMatchObject({ mcc: null, access_technology: 'LTE', tac: null, rsrp_dbm: -90 });
  });

  it('read-only (doctor on the port): only queries, and what their current formats show', async () => {
    const modem = scripted({
      'AT+COPS?': ['+COPS: 0,0,"Twilio",7'],
      'AT+CEREG?': ['+CEREG: 2,1,"1A2B","01C3D4E5",7'],
      'AT+CESQ': ['+CESQ: 99,99,255,255,20,50'],
    });
    const cell = await readCellDetail(modem.ask, generic, { mayChangeFormats: false });
    expect(cell).toMatchObject({ mcc: null, mnc: null, tac: '1A2B', cell_id: '01C3D4E5', rsrp_dbm: -90, rsrq_db: -10 });
    expect(modem.sent.every((command) => command.endsWith('?') || command === 'AT+CESQ')).toBe(true);
  });

  it('a modem that refuses everything gives an all-null cell, not an error', async () => {
    const modem = scripted({});
    const cell = await readCellDetail(modem.ask, quectel, { mayChangeFormats: true });
    expect(Object.values(cell).every((value) => value === null)).toBe(true);
  });
});
