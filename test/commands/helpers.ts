import { type DecodedDeliver, decodePdu, encodeDeliver } from '../../src/sms/index.js';

/** Real SMS-DELIVER parts as the network would deliver them: encoded by the codec, decoded back as the modem layer will. */
export function deliver(options: Parameters<typeof encodeDeliver>[0]): DecodedDeliver[] {
  return encodeDeliver(options).map((part) => {
    const sms = decodePdu(part.pdu);
    if (sms.type !== 'SMS-DELIVER') throw new Error(`expected SMS-DELIVER, got ${sms.type}`);
    return sms;
  });
}

export function deliverOne(options: Parameters<typeof encodeDeliver>[0]): DecodedDeliver {
  const [first, ...rest] = deliver(options);
  if (!first || rest.length > 0) throw new Error('expected one part');
  return first;
}

export const SID = 'DC0123456789abcdef0123456789abcdef';
export const HC_SID = 'HCfedcba9876543210fedcba9876543210';
