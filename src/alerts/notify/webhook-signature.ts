import { createHmac } from 'node:crypto';

const SIGNATURE_HEADER = 'x-netpulse-signature';
const TIMESTAMP_HEADER = 'x-netpulse-timestamp';

/**
 * The headers that sign one webhook request at `now` (ms): `X-Netpulse-Timestamp: <unix seconds>`
 * and `X-Netpulse-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. The timestamp is
 * signed, so a receiver that refuses old timestamps cannot be fed a captured request later.
 */
export function signatureHeaders(secret: string, body: string, now: number): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${mac}` };
}
