// The Baileys sockets of this host, one per `start` the service sends, each named by the socket id the service
// chose. What Baileys reports is turned into the host's events (qr, pairing-code, paired, open, message, close)
// in the order it happened; the service maps them onto its lifecycle (see BaileysDisconnects on the Java side).

import NodeCache from '@cacheable/node-cache'
import { RequestError } from './channel.js'
import { serviceAuthState } from './auth-state.js'
import { serviceLogger } from './log.js'
import { messageEventData } from './message-event.js'

const HEX_KEY = /^[0-9a-f]{64}$/i
/** How often a socket's key cache drops the keys whose time is up (@cacheable/node-cache's default: 10 minutes). */
const KEY_CACHE_CHECK_S = 60

/** The server's <stream:error> or <failure> node, reduced to what the service maps: tag, attributes, children. */
function summarize (node) {
  const attrs = (n) => Object.fromEntries(Object.entries(n.attrs || {}).map(([k, v]) => [k, String(v)]))
  const children = Array.isArray(node.content) ? node.content.filter(c => c && c.tag).map(c => ({ tag: c.tag, attrs: attrs(c) })) : []
  return { tag: node.tag, attrs: attrs(node), content: children }
}

/** What the service needs to know about a failed send: a code it maps to an HTTP status, and words. */
function sendFailure (err) {
  if (err instanceof RequestError) return err
  const status = err && err.output ? err.output.statusCode : undefined
  const message = String(err && err.message ? err.message : err)
  if (err && typeof err.data === 'number') {
    // assertNodeErrorFree: the server answered an iq with <error code text>
    return new RequestError('server_error', `WhatsApp answered ${err.data} ${message}`)
  }
  if (status === 408) return new RequestError('timeout', `WhatsApp did not answer in time (${message})`)
  if (status === 428) return new RequestError('not_ready', `the connection closed while sending (${message})`)
  return new RequestError('failed', message)
}

export class Sockets {
  constructor (channel, baileys) {
    this.channel = channel
    this.baileys = baileys
    this.config = null
    this.sockets = new Map()
  }

  /** Where every socket connects and what it reports; once per host, before the first start. */
  configure (m) {
    const { url, trustAnchor, version, browser, connectTimeoutMs, keepAliveIntervalMs, queryTimeoutMs } = m
    if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) throw new RequestError('bad_request', 'url must be a ws:// or wss:// URL')
    if (typeof trustAnchor !== 'string' || !HEX_KEY.test(trustAnchor)) throw new RequestError('bad_request', 'trustAnchor must be 64 hex characters')
    if (!Array.isArray(version) || version.length !== 3 || !version.every(Number.isInteger)) throw new RequestError('bad_request', 'version must be three integers')
    if (!Array.isArray(browser) || browser.length !== 3 || !browser.every(s => typeof s === 'string')) throw new RequestError('bad_request', 'browser must be three strings')
    for (const [name, value] of Object.entries({ connectTimeoutMs, keepAliveIntervalMs, queryTimeoutMs })) {
      if (!Number.isInteger(value) || value <= 0) throw new RequestError('bad_request', `${name} must be a positive integer`)
    }
    // Baileys checks the server's certificate chain against this module-wide key (Defaults/index.js
    // WA_CERT_DETAILS, used by Utils/noise-handler.js): one trust anchor per host, as the service has one target.
    this.baileys.WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(trustAnchor, 'hex')
    this.config = { url, version, browser, connectTimeoutMs, keepAliveIntervalMs, queryTimeoutMs }
    return { node: process.version, baileys: this.baileys.version ?? null }
  }

  start ({ socket, creds, phone, logLevel }) {
    if (!this.config) throw new RequestError('not_configured', 'configure the host before starting sockets')
    if (!Number.isInteger(socket) || this.sockets.has(socket)) throw new RequestError('bad_request', `bad or reused socket id ${socket}`)
    if (creds !== null && creds !== undefined && typeof creds !== 'string') throw new RequestError('bad_request', 'creds must be a string or null')
    if (phone !== null && phone !== undefined && !/^[0-9]{7,15}$/.test(String(phone))) throw new RequestError('bad_request', 'phone must be 7 to 15 digits')
    const logger = serviceLogger(this.channel, socket, logLevel)
    let auth
    try {
      auth = serviceAuthState(this.channel, socket, this.baileys, creds || null)
    } catch (e) {
      throw new RequestError('bad_creds', `the stored Baileys credentials cannot be read: ${e.message}`)
    }
    const { makeWASocket, makeCacheableSignalKeyStore, DEFAULT_CACHE_TTLS } = this.baileys
    // The socket's key cache is ours so that it ends with the socket: the one makeCacheableSignalKeyStore makes by
    // itself is never closed, and an open @cacheable/node-cache is kept alive by its own check timer, so every start
    // would leak one with its keys (812 pre-keys after a pairing). Expired keys go within a minute of their 5.
    const keyCache = new NodeCache({
      stdTTL: DEFAULT_CACHE_TTLS.SIGNAL_STORE,
      checkperiod: KEY_CACHE_CHECK_S,
      useClones: false,
      deleteOnExpire: true
    })
    let sock
    try {
      sock = makeWASocket({
        auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, logger, keyCache) },
        waWebSocketUrl: this.config.url,
        version: this.config.version,
        browser: this.config.browser,
        logger,
        connectTimeoutMs: this.config.connectTimeoutMs,
        keepAliveIntervalMs: this.config.keepAliveIntervalMs,
        defaultQueryTimeoutMs: this.config.queryTimeoutMs,
        // a service keeps the phone's notifications on; it asks for recent history only (history is not surfaced as
        // events, but Baileys learns LID mappings from it: its authors warn against turning history sync off)
        markOnlineOnConnect: false,
        syncFullHistory: false,
        // messages sent through the API are not echoed back as session.message
        emitOwnEvents: false
      })
    } catch (e) {
      keyCache.close()
      throw e
    }
    let finish
    const entry = {
      socket,
      sock,
      auth,
      keyCache,
      logger,
      phone: phone ? String(phone) : null,
      askedCode: false,
      open: false,
      closed: false,
      serverNode: null,
      queue: Promise.resolve(),
      finished: new Promise(resolve => { finish = resolve }),
      finish
    }
    this.sockets.set(socket, entry)
    this.wire(entry)
    return {}
  }

  wire (entry) {
    const { sock, auth, socket } = entry
    // the node the server ended the stream with, which Baileys reduces to a status code: the service maps the
    // node itself, with the same rules as the native engine
    sock.ws.on('CB:stream:error', (node) => { entry.serverNode = summarize(node) })
    sock.ws.on('CB:failure', (node) => { entry.serverNode = summarize(node) })
    sock.ev.on('creds.update', () => {
      auth.saveCreds().catch(err => entry.logger.error({ err: err.message }, 'storing the credentials failed'))
    })
    sock.ev.on('connection.update', (update) => {
      if (update.qr) {
        if (!entry.phone) {
          this.emit(entry, 'qr', { qr: update.qr })
        } else if (!entry.askedCode) {
          // the first QR means the socket is ready for a pairing-code request (Baileys' documented pattern)
          entry.askedCode = true
          sock.requestPairingCode(entry.phone).then(
            code => this.emit(entry, 'pairing-code', { code }),
            err => {
              entry.logger.error({ err: err.message }, 'the pairing-code request failed')
              sock.end(err)
            })
        }
      }
      if (update.isNewLogin) {
        this.emit(entry, 'paired', { jid: auth.state.creds.me ? auth.state.creds.me.id : null })
      }
      if (update.connection === 'open') {
        entry.open = true
        this.emit(entry, 'open', { jid: auth.state.creds.me ? auth.state.creds.me.id : null })
      }
      if (update.connection === 'close') {
        this.ended(entry, update.lastDisconnect ? update.lastDisconnect.error : undefined)
      }
    })
    sock.ev.on('messages.upsert', ({ messages, type }) => {
      if (type !== 'notify' && type !== 'append') return
      for (const msg of messages) {
        this.emit(entry, 'message', async () => {
          const meId = auth.state.creds.me ? auth.state.creds.me.id : ''
          const data = await messageEventData(this.baileys, msg, meId, (lid) => this.pnForLid(entry, lid))
          return data ? { data } : null
        })
      }
    })
    this.channel.log(socket, 'debug', `socket started (${auth.state.creds.account ? 'login' : 'new device'})`)
  }

  async pnForLid (entry, lid) {
    try {
      return await entry.sock.signalRepository.lidMapping.getPNForLID(lid)
    } catch (err) {
      entry.logger.debug({ err: err.message, lid }, 'no phone number known for a LID')
      return null
    }
  }

  /** Emits in order: each event waits for the ones before it, including their asynchronous parts. */
  emit (entry, event, fields) {
    entry.queue = entry.queue.then(async () => {
      const value = typeof fields === 'function' ? await fields() : fields
      if (value !== null) this.channel.event(entry.socket, event, value)
    }).catch(err => entry.logger.error({ err: err && err.message }, `could not report ${event}`))
    return entry.queue
  }

  ended (entry, error) {
    if (entry.closed) return
    entry.closed = true
    entry.open = false
    const code = error && error.output ? error.output.statusCode : null
    this.emit(entry, 'close', { code, message: error ? String(error.message) : null, node: entry.serverNode })
    entry.queue
      .then(() => entry.auth.drain())
      .finally(() => {
        entry.keyCache.close()
        entry.keyCache.flushAll()
        this.sockets.delete(entry.socket)
        entry.finish()
      })
  }

  /** Ends the socket without logging out; answers once its close was reported and its writes answered. */
  async close ({ socket }) {
    const entry = this.sockets.get(socket)
    if (!entry) return {}
    if (!entry.closed) entry.sock.end(undefined)
    await entry.finished
    return {}
  }

  /** Tells the server this device logs out (when it was linked and is connected), then ends the socket. */
  async logout ({ socket }) {
    const entry = this.sockets.get(socket)
    if (!entry) return {}
    if (!entry.closed) {
      if (entry.open && entry.auth.state.creds.account) {
        try {
          await entry.sock.logout()
        } catch (err) {
          entry.logger.warn({ err: err.message }, 'logout failed; closing the socket')
        }
      }
      if (!entry.closed) entry.sock.end(undefined)
    }
    await entry.finished
    return {}
  }

  async sendText ({ socket, to, text }) {
    const entry = this.sockets.get(socket)
    if (!entry || entry.closed || !entry.open) throw new RequestError('not_ready', 'the session is not connected')
    if (typeof to !== 'string' || !to.includes('@')) throw new RequestError('bad_recipient', 'to must be a JID')
    if (typeof text !== 'string' || text.length === 0) throw new RequestError('bad_request', 'text must be a non-empty string')
    try {
      if (this.baileys.isPnUser(to)) {
        // sendMessage itself would send to a number nobody has; ask first, as users of Baileys do
        const found = await entry.sock.onWhatsApp(to)
        if (!found || !found[0] || !found[0].exists) throw new RequestError('unknown_number', `${to.split('@')[0]} is not on WhatsApp`)
      }
      const sent = await entry.sock.sendMessage(to, { text })
      return { id: sent.key.id }
    } catch (err) {
      throw sendFailure(err)
    }
  }

  /** Ends every socket (no logout) and waits for their writes, at most timeoutMs. */
  async endAll (timeoutMs) {
    const all = [...this.sockets.values()]
    for (const entry of all) {
      if (!entry.closed) entry.sock.end(undefined)
    }
    await Promise.race([
      Promise.allSettled(all.map(e => e.finished)),
      new Promise(resolve => setTimeout(resolve, timeoutMs).unref())
    ])
  }
}
