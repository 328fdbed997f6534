// Baileys' AuthenticationState (creds + SignalKeyStore, lib/Types/Auth.d.ts of baileys@7.0.0-rc14) kept in the
// service's CredentialStore instead of Baileys' multi-file helper: every read and write is a request to the
// Java side, which writes each blob atomically with mode 0600. Values cross as JSON text made with Baileys'
// BufferJSON (the format useMultiFileAuthState writes), so the Java side stores them without decoding them.

/**
 * @param channel  the link to the service
 * @param socket   the socket id the service gave this start
 * @param baileys  the loaded baileys module
 * @param stored   the creds JSON the service read from storage, or null for a new device
 */
export function serviceAuthState (channel, socket, baileys, stored) {
  const { BufferJSON, initAuthCreds, proto } = baileys
  const creds = stored ? JSON.parse(stored, BufferJSON.reviver) : initAuthCreds()
  const writes = new Set()

  /** Keeps track of writes in flight, so closing a socket can wait for them. */
  const track = (promise) => {
    writes.add(promise)
    promise.finally(() => writes.delete(promise)).catch(() => {})
    return promise
  }

  const keys = {
    async get (type, ids) {
      const { values } = await channel.request('keys.get', { socket, type, ids })
      const out = {}
      for (const id of ids) {
        const text = values && values[id]
        if (typeof text !== 'string') continue
        let value = JSON.parse(text, BufferJSON.reviver)
        if (type === 'app-state-sync-key') {
          // as useMultiFileAuthState does: Baileys expects the protobuf object back
          value = proto.Message.AppStateSyncKeyData.fromObject(value)
        }
        out[id] = value
      }
      return out
    },
    async set (data) {
      const encoded = {}
      for (const type of Object.keys(data)) {
        encoded[type] = {}
        for (const id of Object.keys(data[type] || {})) {
          const value = data[type][id]
          encoded[type][id] = value ? JSON.stringify(value, BufferJSON.replacer) : null
        }
      }
      await track(channel.request('keys.set', { socket, data: encoded }))
    }
  }

  return {
    state: { creds, keys },
    /**
     * Writes the whole creds object. Only a linked device's creds are kept (Baileys sets `account` at
     * pair-success): a device that never linked gets new keys on its next socket, as the native engine does,
     * and a pairing-code request (which sets `me` before linking) never leaves creds that would try to log in.
     */
    saveCreds () {
      if (!creds.account) return Promise.resolve()
      return track(channel.request('creds.set', { socket, creds: JSON.stringify(creds, BufferJSON.replacer) }))
    },
    /** Resolves once every write started so far has been answered (or failed). */
    async drain () {
      while (writes.size > 0) {
        await Promise.allSettled([...writes])
      }
    }
  }
}
