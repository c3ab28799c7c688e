import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUTH_ALGORITHMS, decryptScopedPdu, hmac } from '../../src/snmp/wire/usm-crypto.ts';
import type { AuthProtocol } from '../../src/model/credentials.ts';

// hmac() runs from precomputed pad states; it must equal node's createHmac for every protocol,
// key length (up to over a block), message size (beyond its first scratch buffer) and zeroed range
describe('usm hmac from pad states', () => {
  const protocols = Object.keys(AUTH_ALGORITHMS) as AuthProtocol[];
  for (const auth of protocols) {
    const { hash, macLength } = AUTH_ALGORITHMS[auth];
    for (const keyLength of [16, 20, 32, 64, 150]) {
      it(`${auth}, ${keyLength}-byte key`, () => {
        const key = randomBytes(keyLength);
        for (const size of [0, 1, 63, 64, 65, 1400, 5000]) {
          const data = randomBytes(size);
          expect(hmac(auth, key, data)).toEqual(createHmac(hash, key).update(data).digest().subarray(0, macLength));
          if (size >= macLength + 3) {
            const copy = Buffer.from(data);
            copy.fill(0, 3, 3 + macLength);
            expect(hmac(auth, key, data, 3)).toEqual(createHmac(hash, key).update(copy).digest().subarray(0, macLength));
          }
        }
        // the same key again uses the cached states
        expect(hmac(auth, key, Buffer.from('abc'))).toEqual(createHmac(hash, key).update('abc').digest().subarray(0, macLength));
      });
    }
  }
});

// decryption runs AES-CFB as one ECB pass over IV || ciphertext; it must equal OpenSSL's CFB
describe('usm AES-CFB decryption from a kept ECB context', () => {
  for (const [priv, cipher, keyLength] of [['AES', 'aes-128-cfb', 16], ['AES-256', 'aes-256-cfb', 32], ['AES-256-C', 'aes-256-cfb', 32]] as const) {
    it(`${priv}: every length from 0 to 70 bytes, and 1,400`, () => {
      const key = randomBytes(keyLength);
      const salt = randomBytes(8);
      const iv = Buffer.concat([Buffer.from([0, 0, 0, 7, 0, 0, 1, 44]), salt]);
      for (const size of [...Array.from({ length: 71 }, (_, i) => i), 1400]) {
        const plain = randomBytes(size);
        const data = createCipheriv(cipher, key, iv).update(plain);
        expect(decryptScopedPdu(priv, key, 7, 300, salt, data)).toEqual(plain);
      }
    });
  }
});
