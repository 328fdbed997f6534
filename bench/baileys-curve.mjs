// What one curve operation costs in the Baileys host: libsignal's own functions (src/curve.js: curve25519-js for
// signatures, keys imported from DER for agreements) against the host's OpenSSL ones (engines/baileys/lib/native-curve.js).
//
//   node bench/baileys-curve.mjs [ROUNDS]        (after engines/baileys/install.sh; ROUNDS defaults to 200)
//
// Prints the mean time per call after a warm-up of ROUNDS calls, and checks that both give the same answers.

import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { calculateAgreement, verifySignature } from '../engines/baileys/lib/native-curve.js'

const rounds = Number(process.argv[2] ?? 200)
// libsignal as Baileys resolves it from its own folder
const libsignal = createRequire(new URL('../engines/baileys/node_modules/baileys/package.json', import.meta.url))('libsignal/src/curve.js')

const a = libsignal.generateKeyPair()
const b = libsignal.generateKeyPair()
const message = randomBytes(100)
const signature = libsignal.calculateSignature(a.privKey, message)

function perCall (name, fn) {
  for (let i = 0; i < rounds; i++) fn() // warm-up: the JIT, OpenSSL's algorithm fetch
  const start = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) fn()
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / rounds
  console.log(`${name.padEnd(52)} ${ms.toFixed(3).padStart(8)} ms`)
  return ms
}

console.log(`node ${process.version}, ${rounds} calls each after as many to warm up`)
const agreeJs = perCall('X25519 agreement, libsignal (keys from DER)', () => libsignal.calculateAgreement(b.pubKey, a.privKey))
const agreeSsl = perCall('X25519 agreement, host (keys raw)', () => calculateAgreement(b.pubKey, a.privKey))
const verifyJs = perCall('XEdDSA verify, libsignal (curve25519-js)', () => libsignal.verifySignature(a.pubKey, message, signature))
const verifySsl = perCall('XEdDSA verify, host (OpenSSL Ed25519)', () => verifySignature(a.pubKey, message, signature))
perCall('XEdDSA sign, libsignal (curve25519-js; not replaced)', () => libsignal.calculateSignature(a.privKey, message))
console.log(`agreement ${(agreeJs / agreeSsl).toFixed(1)} times faster, verify ${(verifyJs / verifySsl).toFixed(0)} times faster`)

const same = calculateAgreement(b.pubKey, a.privKey).equals(libsignal.calculateAgreement(b.pubKey, a.privKey)) &&
  verifySignature(a.pubKey, message, signature) === true && libsignal.verifySignature(a.pubKey, message, signature) === true
if (!same) {
  console.error('the two implementations disagree')
  process.exit(1)
}
