'use strict'
// What the scripts that drive Baileys against the simulator share: the WhatsApp Web version they report, an
// in-memory auth state, and the socket options that aim Baileys at the simulator.

// The WhatsApp Web version a user passes after fetchLatestWaWebVersion() (there is no internet here): the one
// whatsmeow ships (store/clientpayload.go @33cfac5). Both Baileys lines send it, so neither depends on the stale
// version compiled into 6.17.16; the simulator refuses versions below its minimum with 405.
const VERSION = [2, 3000, 1045649367]

/** Baileys' auth state kept in memory: fresh creds and a key store of `type:id` entries. */
function memoryAuth (initAuthCreds) {
  const store = new Map()
  return {
    creds: initAuthCreds(),
    keys: {
      get: async (type, ids) => Object.fromEntries(ids.filter(id => store.has(`${type}:${id}`))
        .map(id => [id, store.get(`${type}:${id}`)])),
      set: async (data) => {
        for (const type of Object.keys(data)) {
          for (const [id, value] of Object.entries(data[type])) {
            if (value) store.set(`${type}:${id}`, value)
            else store.delete(`${type}:${id}`)
          }
        }
      }
    }
  }
}

/** makeWASocket options for the simulator at `wsUrl`: no presence, no full history, bounded queries. */
function socketOptions ({ auth, wsUrl, logger, timeoutMs }) {
  return {
    auth,
    waWebSocketUrl: wsUrl,
    version: VERSION,
    logger,
    connectTimeoutMs: timeoutMs,
    defaultQueryTimeoutMs: timeoutMs,
    markOnlineOnConnect: false,
    syncFullHistory: false
  }
}

module.exports = { memoryAuth, socketOptions }
