import { describe, expect, test } from 'vitest';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();

describe('the serving cell over a pty', () => {
  test('AT+COPS=3,2 switches +COPS? to the numeric PLMN, AT+COPS=3,0 back to the name', async () => {
    const { serial } = await start({ operator: 'Example Net', cell: { mcc: '262', mnc: '01' } });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+COPS=3,2')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+COPS?')).toBe('\r\n+COPS: 0,2,"26201",7\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+COPS=3,0')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+COPS?')).toBe('\r\n+COPS: 0,0,"Example Net",7\r\n\r\nOK\r\n');
    await serial.at.command('AT+CMEE=1');
    expect(await serial.at.command('AT+COPS=3,5')).toBe('\r\n+CME ERROR: 50\r\n');
  });

  test('+CEREG? names the TAC and +CREG? the LAC with n=2; +CESQ reports the cell RSRP/RSRQ', async () => {
    const { serial } = await start({ cell: { tac: '0D00', lac: '00DE', cellId: '033C416', rsrp: -103, rsrq: -15 } });
    await serial.at.command('ATE0;+CEREG=2;+CREG=2');
    expect(await serial.at.command('AT+CEREG?')).toBe('\r\n+CEREG: 2,1,"0D00","033C416",7\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CREG?')).toBe('\r\n+CREG: 2,1,"00DE","033C416",7\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CESQ')).toBe('\r\n+CESQ: 99,99,255,255,10,37\r\n\r\nOK\r\n');
  });

  test('Quectel AT+QENG="servingcell" in the EC25 layout; "SEARCH" without service; ERROR when refused', async () => {
    const { serial, sim } = await start({ profile: 'quectel' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+QENG="servingcell"')).toBe(
      '\r\n+QENG: "servingcell","NOCONN","LTE","FDD",310,260,01C3D4E5,123,5110,12,5,5,1A2B,-90,-10,-60,165,40\r\n\r\nOK\r\n',
    );
    sim.modem.setFaults({ noNetwork: true });
    expect(await serial.at.command('AT+QENG="servingcell"')).toBe('\r\n+QENG: "servingcell","SEARCH"\r\n\r\nOK\r\n');
    sim.modem.setFaults({ noNetwork: false });
    sim.modem.setCell({ servingCellQuery: false });
    expect(await serial.at.command('AT+QENG="servingcell"')).toBe('\r\nERROR\r\n');
  });

  test('u-blox AT+UCGED? answers mode 2 over three lines', async () => {
    const { serial } = await start({ profile: 'ublox', cell: { tac: 'E8FE', cellId: '1A2D001', band: 5 } });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+UCGED?')).toBe(
      '\r\n+UCGED: 2\r\n6,4,310,260\r\n' +
        '5110,5,25,50,e8fe,1a2d001,123,00000000,ffff,ff,50,20,13.00,2,255,255,50,11,255,0,255,255,0\r\n\r\nOK\r\n',
    );
  });

  test('Telit AT#RFSTS and AT#SERVINFO', async () => {
    const { serial } = await start({ profile: 'telit', imsi: '310260123456789' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT#RFSTS')).toBe(
      '\r\n#RFSTS: "310 260",5110,-90,-60,-10,1A2B,255,,1280,19,2,01C3D4E5,"310260123456789","Twilio",3,12,165\r\n\r\nOK\r\n',
    );
    expect(await serial.at.command('AT#SERVINFO')).toBe(
      '\r\n#SERVINFO: 5110,-60,"Twilio","310260",01C3D4E5,1A2B,1280,3,-90\r\n\r\nOK\r\n',
    );
  });

  test('the SIM800L has no +CPSI (a SIM7x00 command): ERROR', async () => {
    const { serial } = await start({ profile: 'simcom' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CPSI?')).toBe('\r\nERROR\r\n');
  });
});

describe('+CGDCONT over a pty (TS 27.007 §10.1.1)', () => {
  test('lists context 1, stores a definition, removes one given only its cid', async () => {
    const { serial } = await start({ pdpAddress: '10.64.0.2' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CGDCONT?')).toBe('\r\n+CGDCONT: 1,"IP","super","10.64.0.2",0,0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGDCONT=2,"IPV4V6","wireless.twilio.com"')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CGDCONT?')).toBe(
      '\r\n+CGDCONT: 1,"IP","super","10.64.0.2",0,0\r\n+CGDCONT: 2,"IPV4V6","wireless.twilio.com","0.0.0.0",0,0\r\n\r\nOK\r\n',
    );
    expect(await serial.at.command('AT+CGDCONT=2')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CGDCONT?')).toBe('\r\n+CGDCONT: 1,"IP","super","10.64.0.2",0,0\r\n\r\nOK\r\n');
    await serial.at.command('AT+CMEE=1');
    expect(await serial.at.command('AT+CGDCONT=3,"X25","apn"')).toBe('\r\n+CME ERROR: 50\r\n');
    expect(await serial.at.command('AT+CGDCONT=99,"IP","apn"')).toBe('\r\n+CME ERROR: 50\r\n');
  });
});

describe('the cell through the control API', () => {
  test('POST /cell moves the modem; a bad field is refused naming it, and nothing changes', async () => {
    const { sim, serial } = await start({ control: { host: '127.0.0.1', port: 0 } });
    const post = async (body: unknown) => {
      const response = await fetch(`${sim.controlUrl}/cell`, { method: 'POST', body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const moved = await post({ cell_id: '0ABCDEF', tac: '2D18', rsrp: -101 });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ cell_id: '0ABCDEF', tac: '2D18', rsrp: -101, mcc: '310' });
    expect(await post({ rsrp: -20 })).toEqual({
      status: 400,
      json: { error: "cell field 'rsrp': -20 is out of range" },
    });
    expect((await post({ colour: 'red' })).json.error).toMatch(/^unknown cell field 'colour'; known: mcc, mnc/);
    await serial.at.command('ATE0;+CEREG=2');
    expect(await serial.at.command('AT+CEREG?')).toBe('\r\n+CEREG: 2,1,"2D18","0ABCDEF",7\r\n\r\nOK\r\n');
    const read = await fetch(`${sim.controlUrl}/cell`);
    expect(await read.json()).toMatchObject({ rsrp: -101 });
    // The registration URCs carry the new cell too, once the registration changes.
    sim.modem.setFaults({ noNetwork: true });
    const before = serial.at.received.length;
    sim.modem.setFaults({ noNetwork: false });
    await serial.at.waitFor(/\+CEREG: 1,"2D18","0ABCDEF",7\r\n/, 3000, before);
  });
});
