import { describe, expect, it } from 'vitest';
import { decodePdu } from '../../src/sms/index.js';

/**
 * Decoding vectors published by other projects, with what those projects assert. Each entry names its source; the
 * expected fields are the facts that source states (text, numbers, timestamps), written in our JSON shape.
 *
 * MM   = ModemManager, src/tests/test-sms-part-3gpp.c (linux-mobile-broadband/ModemManager)
 * PGM  = python-gsmmodem, test/test_pdu.py (faucamp/python-gsmmodem)
 * AOSP = Android, telephony/tests/.../GsmSmsTest.java (aosp-mirror/platform_frameworks_base)
 * AMP  = at-messages-parser test traces from a Huawei K3520 (garronej/at-messages-parser)
 * W618 = warthog618/sms, cmd/smsdecode/smsdecode_test.go
 */
interface Vector {
  name: string;
  hex: string;
  smsc?: boolean;
  tpduLength?: number;
  expected: Record<string, unknown>;
}

const vectors: Vector[] = [
  // MM test_pdu1: extension characters [{}] plus £ ΩΠΨ §¿; zone -05:00 (octet 0A: sign bit set, 20 quarters).
  {
    name: 'MM pdu1: GSM-7 with extension table, negative zone',
    hex: '07912104442961F4040B916171957291F800001120821105050A6AC8B2BC7C9A83C220F6DB7D2ECB41EDF27C1E3E97411BDE06754FD3D1A0F9BB5D0695F1F4B29B5C2683C6E8B03C3CA697E5F34D6AE303D1D1F2F7DD0D4ABB59A0797D8C0685E7A00028EC26832A960B28EC2683BE6050780EBA97D96C17',
    expected: {
      type: 'SMS-DELIVER',
      smsc: '+12404492164',
      originator: '+16175927198',
      timestamp: '2011-02-28T11:50:50-05:00',
      encoding: 'gsm7',
      text: "Here's a longer message [{with some extended characters}] thrown in, such as £ and ΩΠΨ and §¿ as well.",
    },
  },
  // MM test_pdu2: alphanumeric originator (TOA D0, 0x14 = 20 semi-octets), UCS-2 text.
  {
    name: 'MM pdu2: alphanumeric sender, UCS-2',
    hex: '07919730071111F10414D04937BD2C7797E9D3E614000811309291024061080442043504410442',
    expected: {
      smsc: '+79037011111',
      originator: 'InternetSMS',
      originator_toa: 0xd0,
      timestamp: '2011-03-29T19:20:04+04:00',
      encoding: 'ucs2',
      text: 'тест',
      data_hex: '0442043504410442',
    },
  },
  // MM test_pdu3 ("hellohello"), and test_pdu3_natl: TOA 0x81 gives the digits without '+'.
  {
    name: 'MM pdu3: GSM-7 hellohello, zone +00:00',
    hex: '07912143658709F1040B918100551512F20000111010214365000AE8329BFD4697D9EC37',
    expected: {
      smsc: '+12345678901',
      originator: '+18005551212',
      timestamp: '2011-01-01T12:34:56+00:00',
      text: 'hellohello',
      more_messages_to_send: false,
      pid: 0,
    },
  },
  {
    name: 'MM pdu3-natl: national number keeps its digits',
    hex: '07912143658709F1040B818100551512F20000111010214365000AE8329BFD4697D9EC37',
    expected: { originator: '18005551212', originator_toa: 0x81 },
  },
  {
    name: 'MM pdu3-nzpid and pdu3-mms: PID FF, TP-MMS clear',
    hex: '07912143658709F1000B918100551512F2FF00111010214365000AE8329BFD4697D9EC37',
    expected: { pid: 0xff, more_messages_to_send: true, text: 'hellohello' },
  },
  // MM test_pdu_dcsf1: DCS F1 (group 1111: GSM-7, class 1), short code 1800 with TOA 0x85, UDL 160.
  {
    name: 'MM dcsf1: data coding group F, class 1, 160 septets',
    hex: '07913306091093F0040485810000F111604231805180A049B7F90D9A1AA5A01668F8769BD3E4B29B9E2EB359A03FC85D06A9C3ED707A0EA2CBC3EE79BB4CA7CBCBA05643617DA7C76990FD4D979741EE77DD5E0ED741ED371D442E83E0E1F9BC0CD281E677D9B84C06C1DF7539E85C9097E520FB9B2E2F83C6EF369C5E064D8D52D0BC2E07DDEF77D7DC2C7799E5A0771D040FCB41F402BB0047BFDD6550B80ECAD966',
    expected: {
      smsc: '+33609001390',
      originator: '1800',
      timestamp: '2011-06-24T13:08:15+02:00',
      dcs: 0xf1,
      class: 1,
      encoding: 'gsm7',
      text:
        'Info SFR - Confidentiel, à ne jamais transmettre -\r\n' +
        'Voici votre nouveau mot de passe : sw2ced pour gérer votre compte SFR sur www.sfr.fr ou par téléphone au 963',
    },
  },
  // MM test_pdu3_8bit / test_pdu_dcsf_8bit: DCS 04 and F4 = 8-bit data (F4: class 0).
  {
    name: 'MM pdu3-8bit: general group 8-bit data',
    hex: '07912143658709F1040B918100551512F20004111010214365000AE8329BFD4697D9EC37DE',
    expected: { encoding: '8bit', class: null, text: null, data_hex: 'E8329BFD4697D9EC37DE' },
  },
  {
    name: 'MM dcsf-8bit: 8-bit data coding in group F',
    hex: '07912143658709F1040B918100551512F200F4111010214365000AE8329BFD4697D9EC37DE',
    expected: { encoding: '8bit', class: 0, text: null, data_hex: 'E8329BFD4697D9EC37DE' },
  },
  // MM test_pdu_udhi: KPN NL welcome message, 16-bit concatenation reference (IEI 08), sender 1002 with TOA 0x85.
  {
    name: 'MM udhi: 16-bit concatenation IE, GSM-7 with fill bits',
    hex: '07911356131313F64004850120390011609232239180A006080400100201D7327BFD6EB340E2321BF46E83EA7790F59D1E97DBE1341B442F83C465763D3DA797E56537C81D0ECB41AB59CC1693C16031D96C064241E5656838AF03A96230982A269BCD462917C8FA4E8FCBED709A0D7ABBE9F6B0FB5C7683D27350984D4FABC9A0B33C4C4FCF5D20EBFB2D079DCB62793DBD06D9C36E50FB2D4E97D9A0B49B5E96BBCB',
    expected: {
      smsc: '+31653131316',
      originator: '1002',
      timestamp: '2011-06-29T23:32:19+02:00',
      concat: { ref: 0x0010, total: 2, seq: 1, ref_bits: 16 },
      text:
        'Welkom, bel om uw Voicemail te beluisteren naar +31612001233 (PrePay: *100*1233#). ' +
        'Voicemail ontvangen is altijd gratis. Voor gebruik van mobiel interne',
    },
  },
  // MM test_pdu_multipart: two parts of one message, 8-bit reference 0x4C, zone -04:00.
  {
    name: 'MM multipart part 1/2',
    hex: '07912160130320F5440B916171056429F5000021405291650569A00500034C0201A9E8F41C949E83C2207B599E07B1DFEE33885E9ED341E4F23C7D7697C920FA1B54C697E5E3F4BC0C6AD7D9F434081E96D341E3303C2C4EB3D3F4BC0B94A483E6E8779D4D06CDD1EF3BA80E0785E7A0B7BB0C6A97E7F3F0B9CC02B9DF7450780EA2DFDF2C50780EA2A3CBA0BA9B5C96B3F369F71954768FDFE4B4FB0C9297E1F2F2BCECA6CF41',
    expected: {
      smsc: '+12063130025',
      originator: '+16175046925',
      timestamp: '2012-04-25T19:56:50-04:00',
      concat: { ref: 0x4c, total: 2, seq: 1, ref_bits: 8 },
      text:
        'This is a very long test designed to exercise multi part capability. It should ' +
        'show up as one message, not as two, as the underlying encoding represents ',
    },
  },
  {
    name: 'MM multipart part 2/2',
    hex: '07912160130320F6440B916171056429F5000021405291651569320500034C0202E9E8301D44479741F0B09C3E0785E56590BCCC0ED3CB6410FD0D7ABBCBA0B0FB4D4797E52E10',
    expected: {
      smsc: '+12063130026',
      timestamp: '2012-04-25T19:56:51-04:00',
      concat: { ref: 0x4c, total: 2, seq: 2, ref_bits: 8 },
      text: 'that the parts are related to one another. ',
    },
  },
  // MM test_pdu_stored_by_us: an SMS-SUBMIT as +CMGL lists a stored outgoing message; SRR set, UCS-2.
  {
    name: 'MM stored-by-us: SMS-SUBMIT, UCS-2, status report requested',
    hex: '002100098136397339F70008224F60597D4F60597D4F60597D4F60597D4F60597D4F60597D4F60597D4F60597D4F60',
    expected: {
      type: 'SMS-SUBMIT',
      smsc: null,
      destination: '639337937',
      message_reference: 0,
      status_report_requested: true,
      validity: null,
      text: '你好你好你好你好你好你好你好你好你',
    },
  },
  // MM test_pdu_not_stored: SMS-STATUS-REPORT, TP-ST 0x30 (TS 23.040 §9.2.3.15: temporary error, SC still trying).
  {
    name: 'MM not-stored: SMS-STATUS-REPORT',
    hex: '07914356060013F1065A098136397339F7219011700463802190117004638030',
    expected: {
      type: 'SMS-STATUS-REPORT',
      smsc: '+34656000311',
      message_reference: 0x5a,
      recipient: '639337937',
      timestamp: '2012-09-11T07:40:36+02:00',
      discharge_time: '2012-09-11T07:40:36+02:00',
      status: 0x30,
      delivery_status: 'pending',
    },
  },
  // PGM test_decode vectors.
  {
    name: 'PGM: 11-digit SMSC with odd digit count',
    hex: '06917228195339040B917228214365F700003130805120618005D4F29C2E03',
    expected: {
      smsc: '+2782913593',
      originator: '+27821234567',
      timestamp: '2013-03-08T15:02:16+02:00',
      text: 'Test2',
    },
  },
  {
    name: 'PGM: zone +08:00 (octet 23)',
    hex: '07915892000000F0040B915892214365F700007040213252242331493A283D0795C3F33C88FE06C9CB6132885EC6D341EDF27C1E3E97E7207B3A0C0A5241E377BB1D7693E72E',
    expected: {
      smsc: '+85290000000',
      originator: '+85291234567',
      timestamp: '2007-04-12T23:25:42+08:00',
      text: 'It is easy to read text messages via AT commands.',
    },
  },
  {
    name: 'PGM: @ and extension braces',
    hex: '06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910',
    expected: { originator: '+27821234567', text: '@{tést}!' },
  },
  {
    name: 'PGM: SMS-SUBMIT with relative validity (A9 = 3 days) and status report request',
    hex: '07911326040000F0310D0B911326880736F40000A90FF7FBDD454E87CDE1B0DB357EB701',
    expected: {
      type: 'SMS-SUBMIT',
      smsc: '+31624000000',
      message_reference: 0x0d,
      destination: '+31628870634',
      validity: { format: 'relative', seconds: 3 * 86400 },
      status_report_requested: true,
      text: 'www.diafaan.com',
    },
  },
  {
    name: 'PGM: SMS-STATUS-REPORT without SMSC, delivered',
    hex: '0006D60B911326880736F4111011719551401110117195714000',
    expected: {
      type: 'SMS-STATUS-REPORT',
      smsc: null,
      message_reference: 214,
      recipient: '+31628870634',
      timestamp: '2011-01-11T17:59:15+01:00',
      discharge_time: '2011-01-11T17:59:17+01:00',
      status: 0,
      delivery_status: 'delivered',
      status_report_qualifier: 'submit',
      pid: null,
      encoding: null,
    },
  },
  {
    name: 'PGM: concatenation IE on a single part (total 1), 7-digit number',
    hex: '0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB060319A5C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7E565D0DB0D82C55EB0DB4B068BCD5C20',
    expected: {
      smsc: '+2781191',
      originator: '2781188',
      concat: { ref: 0xc3, total: 1, seq: 1, ref_bits: 8 },
      text: 'Hello!You have R 19.50 FREE airtime available. R 19.50 will expire on 01/07/2013. ',
    },
  },
  {
    name: 'PGM: SMS-SUBMIT UCS-2',
    hex: '07914346466554F601000B914316565811F9000806304253F68449',
    expected: { type: 'SMS-SUBMIT', smsc: '+34646456456', destination: '+34616585119', text: 'あ叶葉' },
  },
  {
    name: 'PGM: SMS-SUBMIT 8-bit data',
    hex: '0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421',
    expected: { encoding: '8bit', text: null, data_hex: Buffer.from('Hello world!').toString('hex').toUpperCase() },
  },
  {
    name: 'PGM: SMS-SUBMIT with absolute validity',
    hex: '0019000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301',
    expected: {
      destination: '+27820001111',
      validity: { format: 'absolute', expires: '2013-07-10T13:39:00+02:00' },
      text: 'Timestamp validity test',
    },
  },
  // PGM: "semi-invalid status report captured from a ZTE modem": the recipient digits hold a B nibble ('#').
  {
    name: 'PGM: ZTE status report with a # in the recipient',
    hex: '0297F1061C0F910B487228297020F5317062419272803170624192138000',
    expected: {
      smsc: '+1',
      message_reference: 28,
      recipient: '+#08427829207025',
      timestamp: '2013-07-26T14:29:27+02:00',
      discharge_time: '2013-07-26T14:29:31+02:00',
    },
  },
  // AOSP testAddressing: zone octet 8A = -07:00.
  {
    name: 'AOSP addressing: zone -07:00',
    hex: '07914151551512f2040B916105551511f100006060605130308A04D4F29C0E',
    expected: {
      smsc: '+14155551212',
      originator: '+16505551111',
      timestamp: '2006-06-06T15:03:03-07:00',
      text: 'Test',
    },
  },
  // AOSP testUdh: WAP push, 8-bit data (DCS F5), 16-bit application ports 2948/9200 and 8-bit concatenation 42.
  {
    name: 'AOSP UDH: 16-bit ports and concatenation, 8-bit data',
    hex:
      '07914140279510F6440A8111110301003BF56080207130138A8C0B05040B8423F' +
      '000032A02010106276170706C69636174696F6E2F766E642E7761702E6D6D732D' +
      '6D65737361676500AF848D0185B4848C8298524E453955304A6D7135514141426' +
      '66C414141414D7741414236514141414141008D908918802B3135313232393737' +
      '3638332F545950453D504C4D4E008A808E022B918805810306977F83687474703' +
      'A2F2F36',
    expected: {
      originator: '1111301000',
      pid: 0x3b,
      encoding: '8bit',
      class: 1,
      concat: { ref: 42, total: 2, seq: 1, ref_bits: 8 },
      ports: { destination: 2948, source: 9200, bits: 16 },
      timestamp: '2006-08-02T17:03:31-07:00',
    },
  },
  {
    name: 'AOSP UCS-2: symbols outside GSM-7, zone -08:00',
    hex: '07912160130300F4040B914151245584F600087010807121352B10212200A900AE00680065006C006C006F',
    expected: { text: '\u2122\u00a9\u00aehello', timestamp: '2007-01-08T17:12:53-08:00' },
  },
  {
    name: 'AOSP multipart part 1: 153 septets after the UDH',
    hex:
      '07916163838408F6440B816105224431F700007060217175830AA0050003' +
      '00020162B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
      '168BC562B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
      '168BC562B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
      '168BC562B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
      '168BC562B1582C168BC562B1582C168BC562B1582C168BC562',
    expected: { concat: { ref: 0, total: 2, seq: 1, ref_bits: 8 }, text: '1'.repeat(153) },
  },
  {
    name: 'AOSP multipart part 2',
    hex: '07916163838408F6440B816105224431F700007060217185000A2305000300020262B1582C168BC96432994C2693C96432994C2693C96432990C',
    expected: { concat: { ref: 0, total: 2, seq: 2, ref_bits: 8 }, text: '1111111222222222222222222222' },
  },
  // AOSP testCPHSVoiceMail: alphanumeric sender "_@", PID 0x41 (replace type 1).
  {
    name: 'AOSP CPHS voicemail: alphanumeric "_@", replace PID',
    hex: '07912160130310F20404D0110041006060627171118A0120',
    expected: { originator: '_@', originator_toa: 0xd0, pid: 0x41, text: ' ' },
  },
  // AOSP testCingularVoiceMail: DCS C8 = message waiting, discard group, voicemail active; UDH IE 01 kept raw.
  {
    name: 'AOSP Cingular voicemail: message-waiting DCS, special SMS IE',
    hex: '07912180958750F84401800500C87020026195702B06040102000200',
    expected: {
      originator: '5',
      dcs: 0xc8,
      encoding: 'gsm7',
      message_waiting: { type: 'voicemail', active: true, discard: true },
      udh: [{ iei: 1, data_hex: '0002' }],
      text: '',
    },
  },
  {
    name: 'AOSP Cingular voicemail clear: indication inactive',
    hex: '07912180958750F84401800500C07020027160112B06040102000000',
    expected: { message_waiting: { type: 'voicemail', active: false, discard: true } },
  },
  {
    name: 'AOSP email gateway with extension characters',
    hex: '07914151551512f204038105f400007011103105458a29e6f71b50c687db7076d9357eb741af0d0a442fcfe9c23739bfe16d289bdee6b5f1813629',
    expected: { originator: '504', text: 'foo@example.com /{ testBody[^~\\] }' },
  },
  {
    name: 'AOSP extended character table',
    hex: '07914151551512f2040B916105551511f100006080615131728A44D4F29C0E2AE3E96537B94C068DD16179784C2FCB41F4B0985D06B958ADD00FB0E94536AF974974DA6D281BA00E95E26D509B946FC3DBF87A25D56A04',
    expected: { text: 'Test extended character table .,-!?@~_\\/&"\';^|:()<{}>[]=%*+#' },
  },
  // AMP: Huawei K3520 traces, as the modem printed them with their <length>.
  {
    name: 'AMP +CMGR: 0,,26',
    hex: '07913306092011F0040B913336766883F5000061216212807140074A351A8D56AB01',
    tpduLength: 26,
    expected: {
      smsc: '+33609002110',
      originator: '+33636786385',
      timestamp: '2016-12-26T21:08:17+01:00',
      text: 'Jjhhhjj',
    },
  },
  {
    name: 'AMP +CDS: 26 status report',
    hex: '0891683108608805F906750D91683109731147F4313050913492003130509134430000',
    tpduLength: 26,
    expected: {
      type: 'SMS-STATUS-REPORT',
      smsc: '+8613800688509',
      message_reference: 0x75,
      recipient: '+8613903711744',
      timestamp: '2013-03-05T19:43:29+00:00',
      discharge_time: '2013-03-05T19:43:34+00:00',
      status: 0,
    },
  },
  {
    name: 'AMP +CMT: ,24 with status-report indication',
    hex: '0891683108608805F9240D91683109731147F400003130505152430004F4F29C0E',
    tpduLength: 24,
    expected: { status_report_indication: true, text: 'test' },
  },
  {
    name: 'AMP stored SMS-SUBMIT with line feeds',
    hex: '0021000B913336766883F5000038C83208FD0E29906510FA1D5220CB20F43BA4409641E87748812C83D0EF90025906A1DF2105B20C42BF430A6419847E8714',
    expected: { type: 'SMS-SUBMIT', destination: '+33636786385', text: 'He ho!\n'.repeat(8) },
  },
  // W618 "submit": a TPDU without SMSC prefix (--no-smsc), five-digit international number.
  {
    name: 'W618: SMS-SUBMIT decoded without SMSC prefix',
    hex: '010005912143f500000bc8329bfd06dddf723619',
    smsc: false,
    expected: { type: 'SMS-SUBMIT', smsc: null, destination: '+12345', text: 'Hello world' },
  },
];

describe('decodePdu: published vectors', () => {
  for (const vector of vectors) {
    it(vector.name, () => {
      const options = {
        ...(vector.smsc === false ? { smsc: false } : {}),
        ...(vector.tpduLength !== undefined ? { tpduLength: vector.tpduLength } : {}),
      };
      expect(decodePdu(vector.hex, options)).toMatchObject(vector.expected);
    });
  }

  it('prints exactly the documented JSON keys for an SMS-DELIVER', () => {
    const decoded = decodePdu('07912143658709F1040B918100551512F20000111010214365000AE8329BFD4697D9EC37');
    expect(Object.keys(decoded)).toEqual([
      'type',
      'smsc',
      'originator',
      'originator_toa',
      'timestamp',
      'pid',
      'dcs',
      'encoding',
      'class',
      'message_waiting',
      'text',
      'data_hex',
      'concat',
      'ports',
      'udh',
      'more_messages_to_send',
      'status_report_indication',
      'reply_path',
      'warnings',
    ]);
  });
});
