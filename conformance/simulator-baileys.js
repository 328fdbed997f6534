'use strict'
// Drives the Linkwell WhatsApp simulator with the real Baileys client (pinned 6.17.16 in package.json).
//
//   node conformance/simulator-baileys.js <adminUrl> <wsUrl>
//
// Steps: QR pairing -> 515 -> login -> message from a phone -> pairing-code linking -> 440 replaced ->
// 401 device removed. Prints one JSON line {"ok":true,"steps":[...]} and exits 0, or prints
// {"ok":false,"step":"...","error":"..."} and exits 1 naming the step that failed. Every wait is bounded.
// BAILEYS_DEBUG=1 turns Baileys' own logging on (to stderr).

const baileys = require('@whiskeysockets/baileys')
const pino = require('pino')

const makeWASocket = baileys.default
const { initAuthCreds, DisconnectReason } = baileys

const [adminUrl, wsUrl] = process.argv.slice(2)
if (!adminUrl || !wsUrl) {
  console.error('usage: node simulator-baileys.js <adminUrl> <wsUrl>')
  process.exit(2)
}

const STEP_TIMEOUT_MS = +(process.env.STEP_TIMEOUT_MS || 20000)
// A fixed WhatsApp Web version, so Baileys does not try to fetch one (no internet here).
const VERSION = [2, 3000, 1023223821]
const logger = pino({ level: process.env.BAILEYS_DEBUG ? 'debug' : 'silent' }, pino.destination(2))
const steps = []
const sockets = []
let currentStep = 'start'

function step (name) {
  currentStep = name
}

function passed (name, detail) {
  steps.push(detail === undefined ? name : { step: name, ...detail })
}

async function admin (method, path, body, expectStatus) {
  const res = await fetch(adminUrl + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined
  })
  const text = await res.text()
  let json
  try { json = JSON.parse(text) } catch { json = { raw: text } }
  if (expectStatus && res.status !== expectStatus) {
    throw new Error(`admin ${method} ${path} answered ${res.status}: ${text}`)
  }
  return json
}

/** Creates the phone, or reuses it when a long-running simulator already has it (409). */
async function phoneFor (number) {
  const created = await admin('POST', '/phones', { number })
  if (created.id) return created
  const all = await admin('GET', '/phones', null, 200)
  const found = all.find(p => p.number === number)
  if (!found) throw new Error(`cannot create phone ${number}: ${JSON.stringify(created)}`)
  return found
}

function memoryAuth () {
  const creds = initAuthCreds()
  const store = new Map()
  return {
    creds,
    keys: {
      get: async (type, ids) => {
        const out = {}
        for (const id of ids) {
          const v = store.get(`${type}:${id}`)
          if (v !== undefined) out[id] = v
        }
        return out
      },
      set: async (data) => {
        for (const type of Object.keys(data)) {
          for (const id of Object.keys(data[type])) {
            const v = data[type][id]
            if (v) store.set(`${type}:${id}`, v)
            else store.delete(`${type}:${id}`)
          }
        }
      }
    }
  }
}

/** A socket plus a log of its connection updates and upserted messages, with bounded waits on both. */
function connect (auth, label) {
  const sock = makeWASocket({
    auth,
    waWebSocketUrl: wsUrl,
    version: VERSION,
    // the pairing code sends "<browser> (<os>)": WhatsApp refuses an uncommon OS with 400, and so does the
    // simulator, so this is Baileys' own Browsers.macOS('Chrome') ("Chrome (Mac OS)")
    browser: ['Mac OS', 'Chrome', '14.4.1'],
    printQRInTerminal: false,
    logger,
    connectTimeoutMs: STEP_TIMEOUT_MS,
    defaultQueryTimeoutMs: STEP_TIMEOUT_MS,
    markOnlineOnConnect: false,
    syncFullHistory: false
  })
  const state = { sock, label, updates: [], messages: [], closed: null, waiters: [] }
  const notify = () => {
    for (const w of [...state.waiters]) w()
  }
  sock.ev.on('connection.update', (u) => {
    state.updates.push(u)
    if (u.connection === 'close') {
      const err = u.lastDisconnect && u.lastDisconnect.error
      state.closed = { statusCode: err && err.output ? err.output.statusCode : undefined, message: err && err.message }
    }
    notify()
  })
  sock.ev.on('messages.upsert', ({ messages, type }) => {
    for (const m of messages) state.messages.push({ m, type })
    notify()
  })
  sockets.push(state)
  return state
}

function waitFor (state, what, predicate, timeoutMs = STEP_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    let timer
    const check = () => {
      let value
      try { value = predicate(state) } catch (e) { value = undefined }
      if (value !== undefined && value !== null && value !== false) {
        clearTimeout(timer)
        state.waiters = state.waiters.filter(w => w !== check)
        resolve(value)
      }
    }
    timer = setTimeout(() => {
      state.waiters = state.waiters.filter(w => w !== check)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${state.label}` +
        (state.closed ? ` (socket closed: ${JSON.stringify(state.closed)})` : '')))
    }, timeoutMs)
    state.waiters.push(check)
    check()
  })
}

const firstQr = (s) => { const u = s.updates.find(u => u.qr); return u && u.qr }
const isOpen = (s) => s.updates.some(u => u.connection === 'open')
const closedWith = (s) => s.closed

function expectClose (closed, code, name) {
  if (!closed || closed.statusCode !== code) {
    throw new Error(`expected close with ${name} (${code}), got ${JSON.stringify(closed)}`)
  }
}

function textOf (m) {
  const msg = m.message || {}
  return msg.conversation || (msg.extendedTextMessage && msg.extendedTextMessage.text)
}

async function main () {
  step('create phones')
  const phone = await phoneFor('51987654321')
  const friend = await phoneFor('51911122233')
  const codePhone = await phoneFor('51955544433')
  passed(currentStep)

  // ---- QR pairing
  step('qr: first QR event')
  const auth = memoryAuth()
  const s1 = connect(auth, 'socket 1 (QR)')
  const qr = await waitFor(s1, 'a QR', firstQr)
  if (qr.split(',').length !== 4) throw new Error(`unexpected QR text ${qr}`)
  passed(currentStep)

  step('qr: phone scans, pair-success accepted')
  const device = await admin('POST', `/phones/${phone.id}/scan`, { qr }, 200)
  await waitFor(s1, 'isNewLogin', (s) => s.updates.some(u => u.isNewLogin))
  if (!auth.creds.me || auth.creds.me.id !== device.jid) {
    throw new Error(`creds.me.id is ${auth.creds.me && auth.creds.me.id}, simulator linked ${device.jid}`)
  }
  passed(currentStep, { jid: device.jid })

  step('qr: server restarts the stream with 515')
  expectClose(await waitFor(s1, 'close', closedWith), DisconnectReason.restartRequired, 'restartRequired')
  passed(currentStep)

  // ---- login with the saved credentials
  step('login: reconnect opens')
  let s2 = connect(auth, 'socket 2 (login)')
  await waitFor(s2, 'connection open', isOpen)
  await waitFor(s2, 'receivedPendingNotifications', (s) => s.updates.some(u => u.receivedPendingNotifications))
  const listed = await admin('GET', '/devices', null, 200)
  const me = listed.find(d => d.jid === device.jid)
  if (!me || !me.connected) throw new Error(`simulator does not list ${device.jid} as connected: ${JSON.stringify(listed)}`)
  passed(currentStep)

  // ---- a message from another phone
  // Baileys buffers messages.upsert after <ib><offline/> until app state sync when the phone never shared
  // app state keys (Socket/chats.js); a message waiting while the device is offline is delivered in the
  // login backlog before <ib><offline/>, which Baileys flushes. So: close, send, reconnect.
  step('message: arrives in messages.upsert')
  s2.sock.end(undefined)
  await waitFor(s2, 'close', closedWith)
  const text = 'hello from the simulator ' + Date.now()
  const sent = await admin('POST', `/devices/${encodeURIComponent(device.jid)}/messages`, { from: friend.id, text }, 202)
  s2 = connect(auth, 'socket 3 (login + backlog)')
  const got = await waitFor(s2, `message ${sent.id}`, (s) => s.messages.find(x => x.m.key && x.m.key.id === sent.id))
  if (textOf(got.m) !== text) throw new Error(`message text is ${JSON.stringify(textOf(got.m))}, expected ${text}`)
  if (got.m.key.remoteJid !== friend.jid || got.m.key.fromMe) {
    throw new Error(`unexpected key ${JSON.stringify(got.m.key)}`)
  }
  await waitFor(s2, 'connection open', isOpen)
  passed(currentStep, { id: sent.id, type: got.type })

  // ---- pairing code on a fresh auth state
  step('code: companion_hello and code entry')
  const auth2 = memoryAuth()
  const s4 = connect(auth2, 'socket 4 (pairing code)')
  await waitFor(s4, 'a QR (socket ready)', firstQr)
  const code = await s4.sock.requestPairingCode(codePhone.number)
  if (!/^[0-9A-Z]{8}$/.test(code)) throw new Error(`unexpected pairing code ${code}`)
  const device2 = await admin('POST', `/phones/${codePhone.id}/link-code`, { code }, 200)
  passed(currentStep, { jid: device2.jid })

  step('code: pair-success accepted and 515')
  expectClose(await waitFor(s4, 'close', closedWith), DisconnectReason.restartRequired, 'restartRequired')
  if (!auth2.creds.me || auth2.creds.me.id !== device2.jid) {
    throw new Error(`creds.me.id is ${auth2.creds.me && auth2.creds.me.id}, simulator linked ${device2.jid}`)
  }
  passed(currentStep)

  step('code: login opens')
  const s5 = connect(auth2, 'socket 5 (code login)')
  await waitFor(s5, 'connection open', isOpen)
  passed(currentStep)

  // ---- replaced
  step('replaced: 440 connectionReplaced')
  await admin('POST', `/devices/${encodeURIComponent(device.jid)}/replace`, null, 200)
  expectClose(await waitFor(s2, 'close', closedWith), DisconnectReason.connectionReplaced, 'connectionReplaced')
  passed(currentStep)

  // ---- removed
  step('removed: 401 loggedOut')
  await admin('POST', `/devices/${encodeURIComponent(device2.jid)}/remove`, null, 200)
  expectClose(await waitFor(s5, 'close', closedWith), DisconnectReason.loggedOut, 'loggedOut')
  const after = await admin('GET', '/devices', null, 200)
  if (after.some(d => d.jid === device2.jid)) throw new Error('removed device is still listed')
  passed(currentStep)

  step('removed: login with removed credentials fails with 401')
  const s6 = connect(auth2, 'socket 6 (removed creds)')
  expectClose(await waitFor(s6, 'close', closedWith), DisconnectReason.loggedOut, 'loggedOut')
  passed(currentStep)
}

const overall = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, step: currentStep, error: 'overall timeout', steps }))
  process.exit(1)
}, STEP_TIMEOUT_MS * 8)

main().then(() => {
  clearTimeout(overall)
  console.log(JSON.stringify({ ok: true, steps }))
  for (const s of sockets) { try { s.sock.end(undefined) } catch {} }
  process.exit(0)
}, (err) => {
  clearTimeout(overall)
  console.log(JSON.stringify({ ok: false, step: currentStep, error: String(err && err.message || err), steps }))
  for (const s of sockets) { try { s.sock.end(undefined) } catch {} }
  process.exit(1)
})

process.on('unhandledRejection', (err) => {
  // Baileys fires some background queries; a failure there must not kill the run, but show it when debugging.
  if (process.env.BAILEYS_DEBUG) console.error('unhandled rejection', err)
})
