'use strict'
// Drives the Linkwell WhatsApp simulator with a real Baileys client, either line:
//
//   node conformance/simulator-baileys.js <adminUrl> <wsUrl> [7|6]
//
//   7 (default): `baileys@7.0.0-rc14` (ESM, loaded with import()), dictionary v3: today's wire.
//   6:           `@whiskeysockets/baileys@6.17.16` (CommonJS), dictionary v2: the stale line, kept to prove
//                that the simulator serves the tables the client's intro announces.
//
// Steps: QR pairing -> 515 -> login -> account queries -> the phone syncs its new companion and a live message
// surfaces -> a message from the offline backlog -> pairing-code linking (7 only, see main) -> 440 replaced ->
// login again -> 401 device removed -> removed credentials refused. The phones' messages are Signal-encrypted
// by the simulator, so Baileys' libsignal decrypting them checks the simulator's Signal side.
// Each step is asserted as Baileys reports it (connection.update qr / isNewLogin / open / close with
// lastDisconnect's statusCode, creds.update me/lid) and checked against the simulator's admin API.
// Prints one JSON line {"ok":true,"line":..,"steps":[...]} and exits 0, or
// {"ok":false,"step":"...","error":"..."} and exits 1 naming the step that failed. Every wait is bounded.
// BAILEYS_DEBUG=1 turns Baileys' own logging on (to stderr); BAILEYS_DEBUG=trace logs every node.

const pino = require('pino')
const { memoryAuth, socketOptions } = require('./baileys-support')

const [adminUrl, wsUrl, lineArg] = process.argv.slice(2)
const line = lineArg || '7'
if (!adminUrl || !wsUrl || !['6', '7'].includes(line)) {
  console.error('usage: node simulator-baileys.js <adminUrl> <wsUrl> [7|6]')
  process.exit(2)
}

const STEP_TIMEOUT_MS = +(process.env.STEP_TIMEOUT_MS || 20000)
const debug = process.env.BAILEYS_DEBUG
/** Messages Baileys logged at level error (50) or above: a query the server failed shows up here. */
const baileysErrors = []
/** Messages Baileys logged at level warn (40): its fallbacks (e.g. an initial sync that timed out) show up here. */
const baileysWarnings = []
const logger = pino({ level: debug ? (debug === 'trace' ? 'trace' : 'debug') : 'warn' }, {
  write (line) {
    if (debug) process.stderr.write(line)
    try {
      const entry = JSON.parse(line)
      if (entry.level >= 50) baileysErrors.push({ msg: entry.msg, error: entry.err && entry.err.message })
      else if (entry.level === 40) baileysWarnings.push(entry.msg)
    } catch {}
  }
})
/** How long a live message may take to surface: well under Baileys 7's 20 s AwaitingInitialSync fallback. */
const LIVE_TIMEOUT_MS = 10000
const steps = []
const sockets = []
let currentStep = 'start'
let baileys

/**
 * Loads the Baileys line. Baileys 7 checks the server's certificate chain against
 * WA_CERT_DETAILS.PUBLIC_KEY (lib/Defaults/index.js, used by lib/Utils/noise-handler.js): a user aims it
 * at the simulator by replacing that key with the simulator's trust anchor, as done here.
 */
async function loadBaileys (trustAnchorHex) {
  if (line === '7') {
    const lib = await import('baileys')
    if (!/^[0-9a-f]{64}$/.test(trustAnchorHex || '')) throw new Error(`bad trust anchor ${trustAnchorHex}`)
    lib.WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(trustAnchorHex, 'hex')
    return { makeWASocket: lib.makeWASocket, initAuthCreds: lib.initAuthCreds, DisconnectReason: lib.DisconnectReason,
      dictVersion: lib.DICT_VERSION, initialPreKeys: lib.INITIAL_PREKEY_COUNT }
  }
  const lib = require('@whiskeysockets/baileys')
  // 6.17.16 checks no certificate signature (only the intermediate's issuerSerial): nothing to aim
  return { makeWASocket: lib.default, initAuthCreds: lib.initAuthCreds, DisconnectReason: lib.DisconnectReason,
    dictVersion: lib.NOISE_WA_HEADER[3], initialPreKeys: lib.INITIAL_PREKEY_COUNT }
}

function step (name) {
  currentStep = name
}

function passed (name, detail) {
  steps.push(detail === undefined ? name : { step: name, ...detail })
}

function check (condition, message) {
  if (!condition) throw new Error(message)
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

/**
 * A socket plus a log of its connection updates, creds updates and upserted messages, with bounded waits.
 * The browser is left at Baileys' default (7: Mac OS / Chrome, 6: Ubuntu / Chrome), so the QR's platform
 * id and the pairing code's companion_platform_id/display are what Baileys sends out of the box.
 */
function connect (auth, label) {
  const sock = baileys.makeWASocket(socketOptions({ auth, wsUrl, logger, timeoutMs: STEP_TIMEOUT_MS }))
  const state = { sock, label, updates: [], creds: [], messages: [], histories: [], closed: null, waiters: [] }
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
  sock.ev.on('creds.update', (c) => {
    state.creds.push(c)
    notify()
  })
  sock.ev.on('messages.upsert', ({ messages, type }) => {
    for (const m of messages) state.messages.push({ m, type })
    notify()
  })
  sock.ev.on('messaging-history.set', (h) => {
    state.histories.push(h)
    notify()
  })
  sockets.push(state)
  return state
}

function waitFor (state, what, predicate, timeoutMs = STEP_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    let timer
    const probe = () => {
      let value
      try { value = predicate(state) } catch (e) { value = undefined }
      if (value !== undefined && value !== null && value !== false) {
        clearTimeout(timer)
        state.waiters = state.waiters.filter(w => w !== probe)
        resolve(value)
      }
    }
    timer = setTimeout(() => {
      state.waiters = state.waiters.filter(w => w !== probe)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${state.label}` +
        (state.closed ? ` (socket closed: ${JSON.stringify(state.closed)})` : '')))
    }, timeoutMs)
    state.waiters.push(probe)
    probe()
  })
}

const firstQr = (s) => { const u = s.updates.find(u => u.qr); return u && u.qr }
const isOpen = (s) => s.updates.some(u => u.connection === 'open')
const closedWith = (s) => s.closed
/** The `me` of the newest creds.update that carried one. */
const credsMe = (s) => { const c = [...s.creds].reverse().find(c => c.me); return c && c.me }

function expectClose (closed, code, name) {
  check(closed && closed.statusCode === code, `expected close with ${name} (${code}), got ${JSON.stringify(closed)}`)
}

/** Baileys closed with the code, and never reported `open` on that socket. */
function expectClosedWithoutOpen (state, code, name) {
  expectClose(state.closed, code, name)
  check(!isOpen(state), `${state.label} reported connection open before closing with ${code}`)
}

function textOf (m) {
  const msg = m.message || {}
  return msg.conversation || (msg.extendedTextMessage && msg.extendedTextMessage.text)
}

const QR_URL_PREFIX = 'https://wa.me/settings/linked_devices#'

/**
 * The QR text each line builds: 7 the URL form with the platform id (lib/Utils/companion-reg-client-utils.js
 * buildPairingQRData; Chrome is "1"), 6 the bare four parts (Socket/socket.js genPairQR).
 */
function checkQrShape (qr, creds) {
  const expectedKeys = [Buffer.from(creds.noiseKey.public).toString('base64'),
    Buffer.from(creds.signedIdentityKey.public).toString('base64'), creds.advSecretKey]
  let parts
  if (line === '7') {
    check(qr.startsWith(QR_URL_PREFIX), `Baileys 7 QR is not in the URL form: ${qr}`)
    parts = qr.slice(QR_URL_PREFIX.length).split(',')
    check(parts.length === 5 && parts[4] === '1', `Baileys 7 QR should end with platform id 1 (Chrome): ${qr}`)
  } else {
    parts = qr.split(',')
    check(parts.length === 4, `Baileys 6 QR should have four parts: ${qr}`)
  }
  check(JSON.stringify(parts.slice(1, 4)) === JSON.stringify(expectedKeys),
    'the QR does not carry this auth state\'s noise key, identity key and adv secret')
  return parts[0]
}

/**
 * Baileys emitted creds.update with me.id = the JID the simulator linked and, for 7, me.lid = its LID (7 reads
 * pair-success's <device lid> in lib/Utils/validate-connection.js configureSuccessfulPairing; 6.17.16 learns
 * the LID only from <success lid> at login, checked in the login step).
 */
function checkPairedCreds (state, auth, device) {
  const me = credsMe(state)
  check(me && me.id === device.jid && (line === '6' || me.lid === device.lid),
    `creds.update me is ${JSON.stringify(me)}, the simulator linked ${device.jid} / ${device.lid}`)
  check(auth.creds.me && auth.creds.me.id === device.jid, `stored creds.me.id is ${auth.creds.me && auth.creds.me.id}`)
}

/** Polls an async condition every 50 ms until it holds, for at most STEP_TIMEOUT_MS. */
async function poll (what, condition) {
  const deadline = Date.now() + STEP_TIMEOUT_MS
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

async function deviceListed (jid) {
  const listed = await admin('GET', '/devices', null, 200)
  return listed.find(d => d.jid === jid)
}

async function main () {
  step('load baileys')
  const anchor = await admin('GET', '/trust-anchor', null, 200)
  baileys = await loadBaileys(anchor.trustAnchor)
  check(baileys.dictVersion === (line === '7' ? 3 : 2), `Baileys ${line} announces dictionary v${baileys.dictVersion}`)
  passed(currentStep, { line, dictionary: baileys.dictVersion })

  step('create phones')
  const phone = await phoneFor('51987654321')
  const friend = await phoneFor('51911122233')
  const codePhone = await phoneFor('51955544433')
  passed(currentStep)

  // ---- QR pairing
  step('qr: first QR event')
  const auth = memoryAuth(baileys.initAuthCreds)
  const s1 = connect(auth, 'socket 1 (QR)')
  const qr = await waitFor(s1, 'a QR', firstQr)
  const ref = checkQrShape(qr, auth.creds)
  passed(currentStep, { ref })

  step('qr: phone scans, pair-success accepted')
  const device = await admin('POST', `/phones/${phone.id}/scan`, { qr }, 200)
  await waitFor(s1, 'isNewLogin', (s) => s.updates.some(u => u.isNewLogin))
  checkPairedCreds(s1, auth, device)
  passed(currentStep, { jid: device.jid, lid: device.lid })

  step('qr: server restarts the stream with 515')
  await waitFor(s1, 'close', closedWith)
  expectClosedWithoutOpen(s1, baileys.DisconnectReason.restartRequired, 'restartRequired')
  passed(currentStep)

  // ---- login with the saved credentials
  step('login: reconnect opens')
  let s2 = connect(auth, 'socket 2 (login)')
  await waitFor(s2, 'connection open', isOpen)
  // <success lid>: Baileys stores its own LID from it (Socket/socket.js 'CB:success')
  check(credsMe(s2) && credsMe(s2).lid === device.lid, `after login creds.update me is ${JSON.stringify(credsMe(s2))}`)
  await waitFor(s2, 'receivedPendingNotifications', (s) => s.updates.some(u => u.receivedPendingNotifications))
  const me = await deviceListed(device.jid)
  check(me && me.connected, `simulator does not list ${device.jid} as connected: ${JSON.stringify(me)}`)
  // the server said it held no prekeys, so Baileys uploaded its first batch (7: 812, 6.17.16: 30) before `open`
  check(me.preKeys === baileys.initialPreKeys, `the simulator holds ${me.preKeys} prekeys, Baileys uploads ${baileys.initialPreKeys} at first login`)
  passed(currentStep, { preKeys: me.preKeys })

  // Baileys fires props, blocklist and privacy at `open` (Socket/chats.js executeInitQueries) and only logs a
  // failure; asking blocklist and privacy again and waiting for them also waits for those first answers.
  // 7 asks `abt` props, which the server answers; 6.17.16 still asks the retired `w` props protocol 2, which
  // the real server refuses with 400 bad-request (Baileys issue #2477), so 6 must log exactly that.
  step('login: account queries answered')
  const blocked = await s2.sock.fetchBlocklist()
  check(Array.isArray(blocked) && blocked.length === 0, `blocklist is ${JSON.stringify(blocked)}`)
  const privacy = await s2.sock.fetchPrivacySettings(true)
  check(privacy && privacy.last && privacy.readreceipts, `privacy settings are ${JSON.stringify(privacy)}`)
  const failed = baileysErrors.filter(e => e.msg.includes('init queries'))
  if (line === '7') {
    check(failed.length === 0, `Baileys logged: ${JSON.stringify(failed)}`)
  } else {
    check(failed.length === 1 && failed[0].error === 'bad-request',
      `Baileys 6 should log the server's bad-request to its w props query, logged ${JSON.stringify(failed)}`)
  }
  passed(currentStep)

  // ---- the phone syncs its new companion, then a live message
  // A phone sends a new companion its app-state sync key (a peer protocol message) and a history-sync
  // notification; the simulator does so once the first prekeys are uploaded, Signal-encrypted (a pre-key
  // message, then a normal one). Baileys buffers events after its first <ib><offline/> until then: 7 waits for
  // the history notification (Socket/chats.js AwaitingInitialSync, falling back after 20 s with a warning),
  // syncs the app state (w:sync:app:state) and goes online; 6.17.16 waits for the app-state key. So a live
  // message must now surface in messages.upsert as `notify`, and well before that fallback.
  step('online: the phone syncs its new companion, a live message surfaces')
  await waitFor(s2, 'the app-state key from the phone', (s) => s.creds.find(c => c.myAppStateKeyId))
  if (line === '7') {
    await waitFor(s2, 'the history from the phone', (s) => s.histories.length > 0)
  }
  const liveText = 'live from the simulator ' + Date.now()
  const live = await admin('POST', `/devices/${encodeURIComponent(device.jid)}/messages`, { from: friend.id, text: liveText }, 202)
  const gotLive = await waitFor(s2, `live message ${live.id}`,
    (s) => s.messages.find(x => x.m.key && x.m.key.id === live.id), LIVE_TIMEOUT_MS)
  check(textOf(gotLive.m) === liveText, `live message text is ${JSON.stringify(textOf(gotLive.m))}, expected ${liveText}`)
  check(gotLive.type === 'notify', `live message upserted as ${gotLive.type}, expected notify`)
  const fellBack = baileysWarnings.filter(w => /AwaitingInitialSync|skipping app state sync/.test(w))
  check(fellBack.length === 0, `Baileys fell back instead of syncing: ${JSON.stringify(fellBack)}`)
  passed(currentStep, { id: live.id, type: gotLive.type })

  // ---- a message from another phone, waiting while the device is offline
  // A message waiting for the device is delivered in the login backlog before <ib><offline/>. So: close,
  // send, reconnect.
  step('message: arrives in messages.upsert')
  s2.sock.end(undefined)
  await waitFor(s2, 'close', closedWith)
  const text = 'hello from the simulator ' + Date.now()
  const sent = await admin('POST', `/devices/${encodeURIComponent(device.jid)}/messages`, { from: friend.id, text }, 202)
  s2 = connect(auth, 'socket 3 (login + backlog)')
  const got = await waitFor(s2, `message ${sent.id}`, (s) => s.messages.find(x => x.m.key && x.m.key.id === sent.id))
  check(textOf(got.m) === text, `message text is ${JSON.stringify(textOf(got.m))}, expected ${text}`)
  check(got.m.key.remoteJid === friend.jid && !got.m.key.fromMe, `unexpected key ${JSON.stringify(got.m.key)}`)
  await waitFor(s2, 'connection open', isOpen)
  // Baileys 7 confirms a decrypted message with a receipt only, 6.17.16 with a receipt and an ack: either way
  // the server must now count it delivered, or it would send it again at the next login
  await poll('the simulator to count the message delivered', async () => {
    const d = await deviceListed(device.jid)
    return d && d.pendingMessages === 0
  })
  passed(currentStep, { id: sent.id, type: got.type })

  // ---- pairing code on a fresh auth state
  if (line === '7') {
    await pairingCode(codePhone)
  }
  // 6.17.16 is not run through pairing by code: it sends companion_platform_id "49" (the char code of "1",
  // lib/Utils/generics.js getPlatformId), which the real server refuses ("couldn't link device",
  // nanocoai/nanoclaw-whatsapp PR #86; fixed in Baileys 7 by PR #2460 getCompanionPlatformId).

  // ---- replaced
  step('replaced: 440 connectionReplaced')
  await admin('POST', `/devices/${encodeURIComponent(device.jid)}/replace`, null, 200)
  expectClose(await waitFor(s2, 'close', closedWith), baileys.DisconnectReason.connectionReplaced, 'connectionReplaced')
  passed(currentStep)

  step('replaced: the same credentials log in again')
  const s6 = connect(auth, 'socket 6 (login after 440)')
  await waitFor(s6, 'connection open', isOpen)
  const again = await deviceListed(device.jid)
  check(again && again.connected, `simulator does not list ${device.jid} as connected after 440`)
  passed(currentStep)

  // ---- removed
  step('removed: 401 loggedOut')
  await admin('POST', `/devices/${encodeURIComponent(device.jid)}/remove`, null, 200)
  expectClose(await waitFor(s6, 'close', closedWith), baileys.DisconnectReason.loggedOut, 'loggedOut')
  check(!(await deviceListed(device.jid)), 'removed device is still listed')
  passed(currentStep)

  step('removed: login with removed credentials fails with 401')
  const s7 = connect(auth, 'socket 7 (removed creds)')
  await waitFor(s7, 'close', closedWith)
  expectClosedWithoutOpen(s7, baileys.DisconnectReason.loggedOut, 'loggedOut')
  passed(currentStep)
}

/** Links a fresh auth state by pairing code: companion_hello, the phone enters the code, 515, login. */
async function pairingCode (codePhone) {
  step('code: companion_hello and code entry')
  const auth2 = memoryAuth(baileys.initAuthCreds)
  const s4 = connect(auth2, 'socket 4 (pairing code)')
  await waitFor(s4, 'a QR (socket ready)', firstQr)
  const code = await s4.sock.requestPairingCode(codePhone.number)
  check(/^[1-9A-HJ-NP-TV-Z]{8}$/.test(code), `unexpected pairing code ${code}`)
  const device2 = await admin('POST', `/phones/${codePhone.id}/link-code`, { code }, 200)
  passed(currentStep, { jid: device2.jid })

  step('code: pair-success accepted and 515')
  await waitFor(s4, 'close', closedWith)
  expectClosedWithoutOpen(s4, baileys.DisconnectReason.restartRequired, 'restartRequired')
  checkPairedCreds(s4, auth2, device2)
  passed(currentStep)

  step('code: login opens')
  const s5 = connect(auth2, 'socket 5 (code login)')
  await waitFor(s5, 'connection open', isOpen)
  const me2 = await deviceListed(device2.jid)
  check(me2 && me2.connected, `simulator does not list ${device2.jid} as connected`)
  passed(currentStep)
}

const overall = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, line, step: currentStep, error: 'overall timeout', steps }))
  process.exit(1)
}, STEP_TIMEOUT_MS * 8)

function endSockets () {
  for (const s of sockets) { try { s.sock.end(undefined) } catch {} }
}

main().then(() => {
  clearTimeout(overall)
  console.log(JSON.stringify({ ok: true, line, steps }))
  endSockets()
  process.exit(0)
}, (err) => {
  clearTimeout(overall)
  console.log(JSON.stringify({ ok: false, line, step: currentStep, error: String(err && err.message || err), steps }))
  endSockets()
  process.exit(1)
})

process.on('unhandledRejection', (err) => {
  // Baileys fires some background queries; a failure there must not kill the run, but show it when debugging.
  if (debug) console.error('unhandled rejection', err)
})
