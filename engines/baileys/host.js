// The Baileys host: one Node process that runs the Baileys sockets of every `provider: "baileys"` session of a
// Linkwell service. The service starts it (node host.js), talks to it over stdin/stdout as newline-delimited JSON
// (lib/channel.js) and restarts it if it dies. The host keeps nothing on disk: credentials and Signal keys are
// read and written through the service's CredentialStore (lib/auth-state.js).
//
// Requests it serves: configure, ping, start, close, logout, send.text, shutdown.
// Requests it sends:  creds.set, keys.get, keys.set.
// Events it sends:    qr, pairing-code, paired, open, message, close.
// It exits when stdin ends (the service is gone, even after a SIGKILL) or on SIGTERM, ending its sockets first.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { getHeapStatistics } from 'node:v8'
import { Channel } from './lib/channel.js'
import { LoopWatch, stallMessage } from './lib/loop-watch.js'
import { installNativeCurve } from './lib/native-curve.js'
import { Sockets } from './lib/sockets.js'
import { shareAsyncLocalStorage } from './lib/shared-async-context.js'

const SHUTDOWN_GRACE_MS = 5000

const channel = new Channel(process.stdin, process.stdout)

// stdout carries the protocol: anything a library prints there (libsignal uses console.info) becomes a log line
for (const [method, level] of [['log', 'info'], ['info', 'info'], ['debug', 'debug'], ['warn', 'warn'], ['error', 'error']]) {
  console[method] = (...args) => channel.log(null, level, args.map(a => (a instanceof Error ? a.stack : typeof a === 'string' ? a : safeJson(a))).join(' '))
}

function safeJson (value) {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

// before Baileys loads: it makes an AsyncLocalStorage per socket, which Node 20 makes every promise pay for
shareAsyncLocalStorage()
// before Baileys loads too: its imports copy libsignal's functions when it loads
let curve
try {
  curve = installNativeCurve(createRequire(import.meta.resolve('baileys'))('libsignal/src/curve.js'))
} catch (e) {
  curve = { installed: false, reason: `libsignal's curve module cannot be loaded (${e.message})` }
}
let baileys
try {
  baileys = await import('baileys')
} catch (e) {
  process.stderr.write(`the Baileys host cannot load baileys (run engines/baileys/install.sh): ${e.message}\n`)
  process.exit(3)
}
const baileysVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('baileys')), 'utf8')).version

const sockets = new Sockets(channel, baileys)
if (curve.installed) {
  channel.log(null, 'info', 'X25519 agreements and XEdDSA signature checks run in OpenSSL (lib/native-curve.js)')
} else {
  channel.log(null, 'warn', `X25519 agreements and XEdDSA signature checks stay in libsignal's JavaScript: ${curve.reason}`)
}
let stopping = false
// one loop runs every socket: a stall long enough for Baileys' keepalive to drop connections is said in the log
new LoopWatch({ report: (stall) => channel.log(null, 'warn', stallMessage(stall)) }).start()

async function stop (code) {
  if (stopping) return
  stopping = true
  await sockets.endAll(SHUTDOWN_GRACE_MS)
  channel.abandon('the host is stopping')
  process.exit(code)
}

channel.handle('configure', (m) => {
  channel.setLimits({ maxLineBytes: m.maxLineBytes, requestTimeoutMs: m.requestTimeoutMs })
  // the heap limit tells the service whether BAILEYS_MAX_HEAP reached V8
  return { ...sockets.configure(m), baileys: baileysVersion, pid: process.pid, heapLimit: getHeapStatistics().heap_size_limit }
})
channel.handle('ping', () => ({ sockets: sockets.sockets.size }))
channel.handle('start', (m) => sockets.start(m))
channel.handle('close', (m) => sockets.close(m))
channel.handle('logout', (m) => sockets.logout(m))
channel.handle('send.text', (m) => sockets.sendText(m))
channel.handle('shutdown', () => {
  setImmediate(() => stop(0))
  return {}
})

channel.onEnd = () => stop(0)
process.on('SIGTERM', () => stop(0))
// Baileys runs background queries whose failures it does not always catch: log them and go on
process.on('unhandledRejection', (err) => channel.log(null, 'warn', `unhandled rejection: ${err && err.stack ? err.stack : err}`))
// anything else is a bug: exit, and the service restarts the host and resumes its sessions
process.on('uncaughtException', (err) => {
  process.stderr.write(`uncaught exception: ${err && err.stack ? err.stack : err}\n`)
  process.exit(1)
})

channel.start()
