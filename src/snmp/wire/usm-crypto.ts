/**
 * USM key material and crypto (RFC 3414, RFC 7860 SHA-2, RFC 3826 AES, Blumenthal/Reeder
 * AES-256 key extension) on node:crypto. Single DES runs as 3DES-EDE with K1=K2=K3, since
 * OpenSSL 3 only ships DES-CBC in its legacy provider.
 */
import { createCipheriv, createDecipheriv, createHash, hash as cryptoHash, randomBytes, type Cipher } from 'node:crypto';
import type { AuthProtocol, PrivProtocol } from '../../model/credentials.ts';

export const AUTH_ALGORITHMS: Record<AuthProtocol, { hash: string; keyLength: number; macLength: number }> = {
  MD5: { hash: 'md5', keyLength: 16, macLength: 12 },
  SHA: { hash: 'sha1', keyLength: 20, macLength: 12 },
  'SHA-224': { hash: 'sha224', keyLength: 28, macLength: 16 },
  'SHA-256': { hash: 'sha256', keyLength: 32, macLength: 24 },
  'SHA-384': { hash: 'sha384', keyLength: 48, macLength: 32 },
  'SHA-512': { hash: 'sha512', keyLength: 64, macLength: 48 },
};

export const PRIV_ALGORITHMS: Record<PrivProtocol, { keyLength: number; extension: 'none' | 'blumenthal' | 'reeder' }> = {
  DES: { keyLength: 16, extension: 'none' }, // 8 key bytes + 8 pre-IV bytes
  AES: { keyLength: 16, extension: 'none' },
  'AES-256': { keyLength: 32, extension: 'blumenthal' },
  'AES-256-C': { keyLength: 32, extension: 'reeder' },
};

const kuCache = new Map<string, Buffer>();

/** RFC 3414 A.2 password-to-key: hash of the password repeated to 1 MiB (not yet localised). */
export function passwordToKey(auth: AuthProtocol, password: string | Buffer): Buffer {
  const pw = typeof password === 'string' ? Buffer.from(password) : password;
  const cacheKey = `${auth}\0${pw.toString('base64')}`;
  const hit = kuCache.get(cacheKey);
  if (hit) return hit;
  if (pw.length === 0) throw new Error('empty USM password');
  const block = Buffer.alloc(1_048_576);
  for (let i = 0; i < block.length; i += pw.length) pw.copy(block, i, 0, Math.min(pw.length, block.length - i));
  const ku = createHash(AUTH_ALGORITHMS[auth].hash).update(block).digest();
  if (kuCache.size > 1000) kuCache.clear();
  kuCache.set(cacheKey, ku);
  return ku;
}

/** Kul = H(Ku || engineID || Ku) */
export function localizeKey(auth: AuthProtocol, ku: Buffer, engineId: Buffer): Buffer {
  return createHash(AUTH_ALGORITHMS[auth].hash).update(ku).update(engineId).update(ku).digest();
}

export function localizedKey(auth: AuthProtocol, password: string | Buffer, engineId: Buffer): Buffer {
  return localizeKey(auth, passwordToKey(auth, password), engineId);
}

/** Privacy key material for `priv`, localised with the user's auth hash and extended if needed. */
export function privacyKey(auth: AuthProtocol, priv: PrivProtocol, password: string | Buffer, engineId: Buffer): Buffer {
  const { keyLength, extension } = PRIV_ALGORITHMS[priv];
  let key = localizedKey(auth, password, engineId);
  const hash = AUTH_ALGORITHMS[auth].hash;
  while (key.length < keyLength) {
    if (extension === 'reeder') {
      // Reeder (Cisco AES-256-C): Kul' = Kul || localize(P2K(Kul)), repeated
      const last = key.subarray(key.length - AUTH_ALGORITHMS[auth].keyLength);
      key = Buffer.concat([key, localizedKey(auth, Buffer.from(last), engineId)]);
    } else {
      // Blumenthal (draft-blumenthal-aes-usm): Kul' = Kul || H(Kul), repeated over the whole key so far
      key = Buffer.concat([key, createHash(hash).update(key).digest()]);
    }
  }
  return key.subarray(0, keyLength);
}

/**
 * HMAC (RFC 2104) as two one-shot hashes, H(opad || H(ipad || data)), over key pads prepared
 * once per key: createHmac's algorithm fetch and key set-up, or copying pre-keyed hash states
 * (a Hash object each), showed up in every walk's profile (two MACs per request). Both inputs
 * are assembled in one scratch buffer (copying a datagram costs less than a hash object).
 * Keyed by the key Buffer, which the user-key caches keep alive while a session uses it.
 */
const hmacPads = new WeakMap<Buffer, { ipad: Buffer; opad: Buffer }>();
let hmacInput = Buffer.allocUnsafe(4096);

function hmacPadsOf(hash: string, key: Buffer): { ipad: Buffer; opad: Buffer } {
  let s = hmacPads.get(key);
  if (!s) {
    const block = hash === 'sha384' || hash === 'sha512' ? 128 : 64;
    const k = key.length > block ? createHash(hash).update(key).digest() : key;
    const ipad = Buffer.alloc(block, 0x36);
    const opad = Buffer.alloc(block, 0x5c);
    for (let i = 0; i < k.length; i++) {
      ipad[i] ^= k[i];
      opad[i] ^= k[i];
    }
    s = { ipad, opad };
    hmacPads.set(key, s);
  }
  return s;
}

/** HMAC over `data`, truncated to the protocol's MAC length; `zeroAt` (with length macLength) is read as zeros. */
export function hmac(auth: AuthProtocol, key: Buffer, data: Buffer, zeroAt = -1): Buffer {
  const { hash, macLength } = AUTH_ALGORITHMS[auth];
  const { ipad, opad } = hmacPadsOf(hash, key);
  const block = ipad.length;
  const n = block + data.length;
  if (hmacInput.length < n) hmacInput = Buffer.allocUnsafe(n + 1024);
  const input = hmacInput;
  ipad.copy(input, 0);
  data.copy(input, block);
  if (zeroAt >= 0) input.fill(0, block + zeroAt, block + zeroAt + macLength);
  const innerDigest = cryptoHash(hash, input.subarray(0, n), 'buffer');
  opad.copy(input, 0);
  innerDigest.copy(input, block);
  return cryptoHash(hash, input.subarray(0, block + innerDigest.length), 'buffer').subarray(0, macLength);
}

/** the 64-bit salt counter as two 32-bit halves (no bigint per message) */
const saltStart = randomBytes(8);
let saltHigh = saltStart.readUInt32BE(0);
let saltLow = saltStart.readUInt32BE(4);

function nextSalt(): Buffer {
  saltLow = (saltLow + 1) >>> 0;
  if (saltLow === 0) saltHigh = (saltHigh + 1) >>> 0;
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32BE(saltHigh, 0);
  b.writeUInt32BE(saltLow, 4);
  return b;
}

function desKey(key: Buffer): Buffer {
  const k = key.subarray(0, 8);
  return Buffer.concat([k, k, k]);
}

/** Encrypts a scopedPDU; returns the ciphertext and msgPrivacyParameters (the salt). */
export function encryptScopedPdu(priv: PrivProtocol, key: Buffer, engineBoots: number, engineTime: number, plain: Buffer): { data: Buffer; privParams: Buffer } {
  const salt = nextSalt();
  if (priv === 'DES') {
    salt.writeUInt32BE(engineBoots >>> 0, 0);
    const iv = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) iv[i] = key[8 + i] ^ salt[i];
    const padded = plain.length % 8 === 0 ? plain : Buffer.concat([plain, Buffer.alloc(8 - (plain.length % 8))]);
    const c = createCipheriv('des-ede3-cbc', desKey(key), iv).setAutoPadding(false);
    return { data: Buffer.concat([c.update(padded), c.final()]), privParams: salt };
  }
  // CFB is a stream mode: update() returns every byte and final() adds none
  const c = createCipheriv(priv === 'AES' ? 'aes-128-cfb' : 'aes-256-cfb', key, aesIv(engineBoots, engineTime, salt));
  return { data: c.update(plain), privParams: salt };
}

/** Decrypts; returns null when the parameters cannot be valid (decryptionError). */
export function decryptScopedPdu(priv: PrivProtocol, key: Buffer, engineBoots: number, engineTime: number, privParams: Buffer, data: Buffer): Buffer | null {
  if (privParams.length !== 8) return null;
  try {
    if (priv === 'DES') {
      if (data.length % 8 !== 0) return null;
      const iv = Buffer.alloc(8);
      for (let i = 0; i < 8; i++) iv[i] = key[8 + i] ^ privParams[i];
      const d = createDecipheriv('des-ede3-cbc', desKey(key), iv).setAutoPadding(false);
      return Buffer.concat([d.update(data), d.final()]);
    }
    return cfbDecrypt(priv, key, aesIv(engineBoots, engineTime, privParams), data);
  } catch {
    return null;
  }
}

/**
 * AES-CFB128 decryption as one ECB pass: P[i] = C[i] XOR E(C[i-1]) with C[-1] = IV, and every
 * C[i-1] is known up front. The ECB context is kept per key, so a response costs no cipher
 * set-up (createDecipheriv's algorithm fetch and key schedule showed up in every walk's profile).
 */
const ecbContexts = new WeakMap<Buffer, Cipher>();

function cfbDecrypt(priv: 'AES' | 'AES-256' | 'AES-256-C', key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const n = data.length;
  if (n === 0) return Buffer.alloc(0);
  let ecb = ecbContexts.get(key);
  if (!ecb) {
    ecb = createCipheriv(priv === 'AES' ? 'aes-128-ecb' : 'aes-256-ecb', key, null).setAutoPadding(false);
    ecbContexts.set(key, ecb);
  }
  const blocks = Math.ceil(n / 16);
  const input = Buffer.allocUnsafe(blocks * 16);
  iv.copy(input, 0, 0, 16);
  data.copy(input, 16, 0, (blocks - 1) * 16);
  const out = ecb.update(input);
  for (let i = 0; i < n; i++) out[i] ^= data[i];
  return out.length === n ? out : out.subarray(0, n);
}

function aesIv(boots: number, time: number, salt: Buffer): Buffer {
  const iv = Buffer.allocUnsafe(16);
  iv.writeUInt32BE(boots >>> 0, 0);
  iv.writeUInt32BE(time >>> 0, 4);
  salt.copy(iv, 8, 0, 8);
  return iv;
}
