// libsignal's two hot curve operations done by OpenSSL, with the same arguments, errors and answers.
//
// Baileys decrypts with libsignal 6.0.0, whose src/curve.js imports both X25519 keys from DER for every agreement
// (OpenSSL 3's decoder: 0.35 ms for the private key, about ten times a raw import) and checks XEdDSA signatures in
// pure JavaScript (curve25519-js: 13 to 25 ms each). Every group message carries such a signature and every
// first message from a contact costs three or four agreements: with traffic to 1,000 sessions the two took more
// than half of the host's CPU (BENCHMARKS.md, "Where Baileys' CPU per message goes").
//
// installNativeCurve swaps calculateAgreement and verifySignature on libsignal's module before Baileys loads (its
// ES imports copy the functions at load time; libsignal's own modules look them up at each call):
// - agreements import the keys raw (as JWK) and let OpenSSL derive, as libsignal already does;
// - a signature is checked as Ed25519 by OpenSSL after the XEdDSA conversion curve25519-js makes: the Edwards key
//   y = (u - 1) / (u + 1) mod p from the Montgomery key u, its sign bit taken from the signature's last byte,
//   which is then cleared (curve25519-js 0.0.4, convertPublicKey and curve25519_sign_open; the same map as our
//   protocol module's Edwards25519).
// One difference, on signatures no honest signer makes: OpenSSL refuses an unreduced s (s >= L, RFC 8032 5.1.7),
// which curve25519-js accepts. The swap checks itself against the originals first and stays out if they differ.

import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, verify } from 'node:crypto'

const P = (1n << 255n) - 19n
const KEY_TYPE = 5

/** Replaces the two functions on `curve` (libsignal/src/curve.js) if they agree with the originals; says what it did. */
export function installNativeCurve (curve) {
  const original = {
    calculateAgreement: curve.calculateAgreement,
    verifySignature: curve.verifySignature
  }
  const disagreement = selfCheck(curve, original)
  if (disagreement) {
    return { installed: false, reason: disagreement }
  }
  curve.calculateAgreement = calculateAgreement
  curve.verifySignature = verifySignature
  return { installed: true }
}

/** libsignal's calculateAgreement: the X25519 shared secret of a (33-byte, type 5) public and a private key. */
export function calculateAgreement (pubKey, privKey) {
  pubKey = scrubPubKeyFormat(pubKey)
  validatePrivKey(privKey)
  if (!pubKey || pubKey.byteLength !== 32) {
    throw new Error('Invalid public key')
  }
  // Node reads only d of a private OKP key; x must be a string
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: privKey.toString('base64url'), x: '' }, format: 'jwk' })
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: pubKey.toString('base64url') }, format: 'jwk' })
  return diffieHellman({ privateKey, publicKey })
}

/** libsignal's verifySignature: whether `sig` is the XEdDSA signature of `msg` by `pubKey`; true without a check when `isInit`. */
export function verifySignature (pubKey, msg, sig, isInit) {
  pubKey = scrubPubKeyFormat(pubKey)
  if (!pubKey || pubKey.byteLength !== 32) {
    throw new Error('Invalid public key')
  }
  if (!msg) {
    throw new Error('Invalid message')
  }
  if (!sig || sig.byteLength !== 64) {
    throw new Error('Invalid signature')
  }
  if (isInit) {
    return true
  }
  const edwards = edwardsKey(pubKey)
  edwards[31] |= sig[63] & 0x80
  const signature = Buffer.from(sig)
  signature[63] &= 0x7f
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: edwards.toString('base64url') }, format: 'jwk' })
    return verify(null, msg, key, signature)
  } catch {
    return false // not a point of the curve: curve25519-js refuses it too
  }
}

/** The Edwards y (32 bytes, little-endian, sign bit clear) of a Montgomery u, as curve25519-js converts it. */
export function edwardsKey (montgomery) {
  const bytes = Buffer.from(montgomery)
  bytes[31] &= 0x7f // curve25519-js ignores the top bit of u
  const u = toBigInt(bytes) % P
  const y = (((u - 1n + P) % P) * power((u + 1n) % P, P - 2n)) % P // 0 when u + 1 = 0, as curve25519-js
  return fromBigInt(y)
}

function power (base, exponent) {
  let result = 1n
  let b = base
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P
    b = (b * b) % P
  }
  return result
}

function toBigInt (littleEndian) {
  return BigInt('0x' + Buffer.from(littleEndian).reverse().toString('hex'))
}

function fromBigInt (value) {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse()
}

// The checks and messages of libsignal's src/curve.js, so that callers see the same errors.
function scrubPubKeyFormat (pubKey) {
  if (!(pubKey instanceof Buffer)) {
    throw new Error(`Invalid public key type: ${pubKey.constructor.name}`)
  }
  if (pubKey === undefined || ((pubKey.byteLength !== 33 || pubKey[0] !== KEY_TYPE) && pubKey.byteLength !== 32)) {
    throw new Error('Invalid public key')
  }
  if (pubKey.byteLength === 33) {
    return pubKey.subarray(1)
  }
  console.error('WARNING: Expected pubkey of length 33, please report the ST and client that generated the pubkey')
  return pubKey
}

function validatePrivKey (privKey) {
  if (privKey === undefined) {
    throw new Error('Undefined private key')
  }
  if (!(privKey instanceof Buffer)) {
    throw new Error(`Invalid private key type: ${privKey.constructor.name}`)
  }
  if (privKey.byteLength !== 32) {
    throw new Error(`Incorrect private key length: ${privKey.byteLength}`)
  }
}

/** A few agreements and signatures both ways; the first difference, or null. */
function selfCheck (curve, original) {
  try {
    for (let i = 0; i < 2; i++) {
      const a = curve.generateKeyPair()
      const b = curve.generateKeyPair()
      if (!calculateAgreement(b.pubKey, a.privKey).equals(original.calculateAgreement(b.pubKey, a.privKey))) {
        return 'an X25519 agreement differs from libsignal\'s'
      }
      const message = randomBytes(16 + i * 40)
      const signature = curve.calculateSignature(a.privKey, message)
      const forged = Buffer.from(signature)
      forged[i * 16] ^= 1
      for (const [sig, key] of [[signature, a.pubKey], [forged, a.pubKey], [signature, b.pubKey]]) {
        if (verifySignature(key, message, sig) !== original.verifySignature(key, message, sig)) {
          return 'a signature check differs from libsignal\'s'
        }
      }
    }
    return null
  } catch (e) {
    return `the check failed: ${e.message}`
  }
}
