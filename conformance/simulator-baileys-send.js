'use strict'
// A message Baileys 7 sends through the Linkwell simulator arrives decrypted at the simulated phones: an
// independent check of the simulator's Signal side (usync devices, prekey fetch, the pkmsg / msg it decrypts,
// the DeviceSentMessage for the sender's own phone). baileys@7.0.0-rc14 with libsignal-node 6.0.0 does all the
// client's crypto; nothing of ours runs on that side.
//
//   node conformance/simulator-baileys-send.js <adminUrl> <wsUrl>
//
// Steps: QR pairing -> 515 -> login -> send a text to a phone -> the phone and our own phone read it (admin API
// GET /phones/{id}/messages) -> a second text in the same sessions. Prints one JSON line
// {"ok":true,"steps":[...]} and exits 0, or {"ok":false,"step":"...","error":"..."} and exits 1. Every wait is
// bounded; BAILEYS_DEBUG=1 turns Baileys' logging on (to stderr).

const pino = require('pino')
const { memoryAuth, socketOptions } = require('./baileys-support')

const [adminUrl, wsUrl] = process.argv.slice(2)
if (!adminUrl || !wsUrl) {
  console.error('usage: node simulator-baileys-send.js <adminUrl> <wsUrl>')
  process.exit(2)
}
const STEP_TIMEOUT_MS = +(process.env.STEP_TIMEOUT_MS || 20000)
const logger = pino({ level: process.env.BAILEYS_DEBUG ? 'debug' : 'silent' }, process.stderr)
const steps = []
let currentStep = 'start'

async function admin (method, path, body) {
  const res = await fetch(adminUrl + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`admin ${method} ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text)
}

/** Resolves once `probe()` returns something truthy (checked on every event and every 50 ms), or fails. */
function until (what, probe) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + STEP_TIMEOUT_MS
    const tick = async () => {
      let value
      try { value = await probe() } catch (e) { value = undefined }
      if (value) return resolve(value)
      if (Date.now() > deadline) return reject(new Error(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}`))
      setTimeout(tick, 50)
    }
    tick()
  })
}

function connect (lib, auth) {
  const sock = lib.makeWASocket(socketOptions({ auth, wsUrl, logger, timeoutMs: STEP_TIMEOUT_MS }))
  const state = { sock, updates: [] }
  sock.ev.on('connection.update', (u) => state.updates.push(u))
  return state
}

/** The phone read message `id`; resolves with what the admin API says it read. */
function read (phone, id) {
  return until(`${phone.number} to read ${id}`, async () =>
    (await admin('GET', `/phones/${phone.id}/messages`)).find(m => m.id === id))
}

async function main () {
  currentStep = 'load baileys'
  const lib = await import('baileys')
  const anchor = await admin('GET', '/trust-anchor')
  // Baileys 7 checks the certificate chain against WA_CERT_DETAILS.PUBLIC_KEY: aim it at the simulator
  lib.WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(anchor.trustAnchor, 'hex')
  const mine = await admin('POST', '/phones', { number: '51987600001' })
  const friend = await admin('POST', '/phones', { number: '51987600002' })
  steps.push(currentStep)

  currentStep = 'pair and log in'
  const auth = memoryAuth(lib.initAuthCreds)
  const pairing = connect(lib, auth)
  const qr = await until('a QR', () => (pairing.updates.find(u => u.qr) || {}).qr)
  const device = await admin('POST', `/phones/${mine.id}/scan`, { qr })
  await until('the 515 close', () => pairing.updates.some(u => u.connection === 'close'))
  const s = connect(lib, auth)
  await until('connection open', () => s.updates.some(u => u.connection === 'open'))
  await until('the offline backlog', () => s.updates.some(u => u.receivedPendingNotifications))
  steps.push({ step: currentStep, device: device.jid })

  currentStep = 'send: the phone reads the first text'
  const first = await s.sock.sendMessage(friend.jid, { text: 'hello from Baileys' })
  const got = await read(friend, first.key.id)
  if (got.text !== 'hello from Baileys' || got.fromMe || got.from !== device.jid) {
    throw new Error(`the phone read ${JSON.stringify(got)}`)
  }
  steps.push({ step: currentStep, id: first.key.id })

  currentStep = 'send: our own phone reads it as sent by us'
  const copy = await read(mine, first.key.id)
  if (copy.text !== 'hello from Baileys' || !copy.fromMe || copy.chat !== friend.jid) {
    throw new Error(`our phone read ${JSON.stringify(copy)}`)
  }
  steps.push(currentStep)

  currentStep = 'send: a second text in the same sessions'
  const second = await s.sock.sendMessage(friend.jid, { text: 'and again' })
  const again = await read(friend, second.key.id)
  if (again.text !== 'and again') throw new Error(`the phone read ${JSON.stringify(again)}`)
  steps.push({ step: currentStep, id: second.key.id })

  s.sock.end(undefined)
}

main().then(() => {
  console.log(JSON.stringify({ ok: true, steps }))
  process.exit(0)
}, (err) => {
  console.log(JSON.stringify({ ok: false, step: currentStep, error: err && err.stack ? err.stack : String(err) }))
  process.exit(1)
})
