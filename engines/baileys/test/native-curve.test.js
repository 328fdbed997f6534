// lib/native-curve.js against the code it stands in for: libsignal's own calculateAgreement and verifySignature
// (curve25519-js for signatures), on random keys and messages, honest and forged signatures, malformed arguments.
// Signatures are made by libsignal's calculateSignature, the XEdDSA signer Baileys and WhatsApp clients use.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { calculateAgreement, edwardsKey, installNativeCurve, verifySignature } from '../lib/native-curve.js'

const libsignalCurve = createRequire(import.meta.resolve('baileys'))('libsignal/src/curve.js')
const original = { ...libsignalCurve } // a copy: installNativeCurve below changes the module itself
const P = (1n << 255n) - 19n
const L = (1n << 252n) + 27742317777372353535851937790883648493n

function pair () {
  return original.generateKeyPair()
}

function sign (keys, message) {
  return original.calculateSignature(keys.privKey, message)
}

test('agreements equal libsignal\'s, both ways round, with 33- and 32-byte public keys', () => {
  for (let i = 0; i < 50; i++) {
    const a = pair()
    const b = pair()
    const expected = original.calculateAgreement(b.pubKey, a.privKey)
    assert.deepEqual(calculateAgreement(b.pubKey, a.privKey), expected)
    assert.deepEqual(calculateAgreement(a.pubKey, b.privKey), expected)
  }
  const a = pair()
  const b = pair()
  const silence = console.error
  console.error = () => {} // both warn about the 32-byte form
  try {
    assert.deepEqual(calculateAgreement(b.pubKey.subarray(1), a.privKey), original.calculateAgreement(b.pubKey.subarray(1), a.privKey))
  } finally {
    console.error = silence
  }
})

test('a low-order public key is refused as libsignal refuses it', () => {
  const zero = Buffer.concat([Buffer.from([5]), Buffer.alloc(32)])
  const { privKey } = pair()
  assert.throws(() => original.calculateAgreement(zero, privKey))
  assert.throws(() => calculateAgreement(zero, privKey))
})

test('honest signatures verify, and any change to the signature, the message or the key fails, as in curve25519-js', () => {
  for (let i = 0; i < 12; i++) {
    const keys = pair()
    const other = pair()
    const message = randomBytes(1 + i * 23)
    const signature = sign(keys, message)
    assert.equal(verifySignature(keys.pubKey, message, signature), true)
    assert.equal(original.verifySignature(keys.pubKey, message, signature), true)

    // a flipped bit in R, in s, and the sign bit XEdDSA keeps in the last byte
    for (const [index, bit] of [[i, 1 << (i % 8)], [32 + i, 1 << ((i + 3) % 8)], [63, 0x80]]) {
      const forged = Buffer.from(signature)
      forged[index] ^= bit
      assert.equal(verifySignature(keys.pubKey, message, forged), false, `bit ${bit} of byte ${index}`)
      assert.equal(original.verifySignature(keys.pubKey, message, forged), false)
    }
    const changed = Buffer.from(message)
    changed[i % changed.length] ^= 0x10
    assert.equal(verifySignature(keys.pubKey, changed, signature), false)
    assert.equal(verifySignature(other.pubKey, message, signature), false)
    assert.equal(original.verifySignature(other.pubKey, message, signature), false)
  }
})

test('keys that are not canonical curve points get the answer curve25519-js gives', () => {
  const message = randomBytes(40)
  const keys = pair()
  const signature = sign(keys, message)
  const u = (n) => Buffer.concat([Buffer.from([5]), Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse()])
  // u = p - 1 has no Edwards image (u + 1 = 0); u >= p and the top bit are taken modulo p and ignored
  const withTopBit = Buffer.from(keys.pubKey)
  withTopBit[32] |= 0x80
  for (const key of [u(P - 1n), u(P), u(P + 1n), u(0n), u(1n), withTopBit, u((1n << 255n) - 1n)]) {
    assert.equal(verifySignature(key, message, signature), original.verifySignature(key, message, signature), key.toString('hex'))
  }
  assert.equal(verifySignature(withTopBit, message, signature), true) // the top bit of u is not part of the key
})

test('the Edwards key of the base point u = 9 is the Ed25519 base point y = 4/5', () => {
  const nine = Buffer.alloc(32)
  nine[0] = 9
  const y = 46316835694926478169428394003475163141307993866256225615783033603165251855960n // RFC 8032 5.1: 4/5 mod p
  assert.equal(edwardsKey(nine).toString('hex'), Buffer.from(y.toString(16).padStart(64, '0'), 'hex').reverse().toString('hex'))
})

test('the one difference: an unreduced s (s + L) passes curve25519-js and is refused here', () => {
  const keys = pair()
  const message = randomBytes(32)
  const signature = sign(keys, message)
  const signBit = signature[63] & 0x80
  const sBytes = Buffer.from(signature.subarray(32))
  sBytes[31] &= 0x7f
  const s = BigInt('0x' + Buffer.from(sBytes).reverse().toString('hex'))
  const bigger = s + L // below 2^254: s < L < 2^253
  const malleated = Buffer.from(signature)
  Buffer.from(bigger.toString(16).padStart(64, '0'), 'hex').reverse().copy(malleated, 32)
  malleated[63] |= signBit
  assert.equal(original.verifySignature(keys.pubKey, message, malleated), true)
  assert.equal(verifySignature(keys.pubKey, message, malleated), false)
})

test('malformed arguments throw libsignal\'s errors; isInit skips the check', () => {
  const keys = pair()
  const message = Buffer.from('hello')
  const signature = sign(keys, message)
  const cases = [
    () => [keys.pubKey, message, Buffer.alloc(63)],
    () => [keys.pubKey, null, signature],
    () => [Buffer.alloc(33, 1), message, signature],
    () => [Buffer.alloc(31), message, signature],
    () => [new Uint8Array(33), message, signature],
    () => [undefined, message, signature]
  ]
  for (const make of cases) {
    let expected
    assert.throws(() => original.verifySignature(...make()), (e) => { expected = e.message; return true })
    assert.throws(() => verifySignature(...make()), (e) => e.message === expected, expected)
  }
  assert.equal(verifySignature(keys.pubKey, message, Buffer.alloc(64), true), true)

  const agreements = [
    () => [keys.pubKey, undefined],
    () => [keys.pubKey, Buffer.alloc(31)],
    () => [keys.pubKey, new Uint8Array(32)],
    () => [Buffer.alloc(34), keys.privKey]
  ]
  for (const make of agreements) {
    let expected
    assert.throws(() => original.calculateAgreement(...make()), (e) => { expected = e.message; return true })
    assert.throws(() => calculateAgreement(...make()), (e) => e.message === expected, expected)
  }
})

test('installs on libsignal\'s module after checking itself, and stays out of a module it disagrees with', () => {
  const stub = { ...original, calculateAgreement: (pub, priv) => Buffer.alloc(32) }
  const refused = installNativeCurve(stub)
  assert.equal(refused.installed, false)
  assert.match(refused.reason, /agreement differs/)
  assert.notEqual(stub.calculateAgreement, calculateAgreement)

  assert.deepEqual(installNativeCurve(libsignalCurve), { installed: true })
  assert.equal(libsignalCurve.calculateAgreement, calculateAgreement)
  assert.equal(libsignalCurve.verifySignature, verifySignature)
})
