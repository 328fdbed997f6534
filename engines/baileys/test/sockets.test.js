// The host's Sockets with the real Baileys key store and caches, and a stand-in for makeWASocket (no network): what a
// socket holds must go when it ends. Run with `node --expose-gc --test test/` (HostScriptsTest runs it in the build).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import * as baileys from 'baileys'
import { Sockets } from '../lib/sockets.js'

// what Baileys stores after a pairing: 812 one-time pre-keys (Defaults INITIAL_PREKEY_COUNT of 7.0.0-rc14)
const PRE_KEYS = baileys.INITIAL_PREKEY_COUNT

/** The service's end of the link: every request is answered at once, events and logs are dropped. */
const channel = { request: async () => ({}), event () {}, log () {} }

/** makeWASocket without a connection: it stores pre-keys through the key store it is given, as a login does. */
function offlineSocket (config) {
  const ev = new EventEmitter()
  const preKeys = {}
  for (let id = 1; id <= PRE_KEYS; id++) {
    preKeys[id] = { public: Buffer.alloc(32, id), private: Buffer.alloc(32, id >> 8) }
  }
  const stored = config.auth.keys.set({ 'pre-key': preKeys })
  return {
    ws: new EventEmitter(),
    ev,
    stored,
    end (error) {
      ev.emit('connection.update', { connection: 'close', lastDisconnect: error ? { error } : undefined })
    }
  }
}

function heapAfterGc () {
  for (let i = 0; i < 4; i++) global.gc()
  return process.memoryUsage().heapUsed
}

test('a socket that ended leaves nothing of its keys behind', async () => {
  assert.equal(typeof global.gc, 'function', 'run with --expose-gc')
  const sockets = new Sockets(channel, { ...baileys, makeWASocket: offlineSocket })
  sockets.configure({
    url: 'ws://127.0.0.1:1/ws',
    trustAnchor: '00'.repeat(32),
    version: [2, 3000, 1],
    browser: ['Linkwell', 'Chrome', '1'],
    connectTimeoutMs: 1000,
    keepAliveIntervalMs: 1000,
    queryTimeoutMs: 1000
  })
  const run = async (from, count) => {
    for (let id = from; id < from + count; id++) {
      sockets.start({ socket: id, creds: null, phone: null, logLevel: 'error' })
      await sockets.sockets.get(id).sock.stored
      await sockets.close({ socket: id })
    }
  }
  await run(1, 10) // warms up what stays for good (modules, compiled code)
  const before = heapAfterGc()

  await run(100, 100)
  const grown = heapAfterGc() - before

  // 100 sockets' 812 pre-keys are about 40 MiB while held: a socket's share must not outlive it
  assert.equal(sockets.sockets.size, 0)
  assert.ok(grown < 4 * 1024 * 1024, `the heap grew by ${(grown / 1048576).toFixed(1)} MiB after 100 sockets ended`)
})
