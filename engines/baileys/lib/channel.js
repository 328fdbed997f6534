// The host's end of the stdio link with the Java service: one JSON object per line in each direction.
//
//   {"t":"req","id":7,"op":"keys.get",...}        a request; the other side answers it once
//   {"t":"res","id":7,"ok":true,"result":{...}}   its answer ({"ok":false,"error":{"code","message"}} on failure)
//   {"t":"evt","socket":3,"event":"qr",...}       an event about one socket (host -> service only)
//   {"t":"log","socket":3,"level":"warn",...}     a log line (host -> service only)
//
// Each side numbers its own requests. A line that is not a JSON object, has no known "t", or is longer than
// maxLineBytes is reported as a log line and dropped: the link and the process go on. Requests the host sends
// fail after requestTimeoutMs when no answer comes.

export class RequestError extends Error {
  constructor (code, message) {
    super(message)
    this.code = code
  }
}

export class Channel {
  /**
   * @param input  a readable stream of bytes (process.stdin)
   * @param output a writable stream (process.stdout)
   */
  constructor (input, output, { maxLineBytes = 8 * 1024 * 1024, requestTimeoutMs = 30000 } = {}) {
    this.input = input
    this.output = output
    this.maxLineBytes = maxLineBytes
    this.requestTimeoutMs = requestTimeoutMs
    this.handlers = new Map()
    this.pending = new Map()
    this.nextId = 1
    this.chunks = []
    this.buffered = 0
    this.discarding = false
    this.onEnd = () => {}
  }

  /** Registers the handler of one request op: async (message) => result. */
  handle (op, handler) {
    this.handlers.set(op, handler)
  }

  start () {
    this.input.on('data', (chunk) => this.receive(chunk))
    this.input.on('end', () => this.onEnd())
  }

  setLimits ({ maxLineBytes, requestTimeoutMs }) {
    if (Number.isInteger(maxLineBytes) && maxLineBytes > 0) this.maxLineBytes = maxLineBytes
    if (Number.isInteger(requestTimeoutMs) && requestTimeoutMs > 0) this.requestTimeoutMs = requestTimeoutMs
  }

  /** Splits bytes into lines without ever holding more than maxLineBytes of one line. */
  receive (chunk) {
    let start = 0
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start)
      const end = nl === -1 ? chunk.length : nl
      const piece = chunk.subarray(start, end)
      if (!this.discarding) {
        if (this.buffered + piece.length > this.maxLineBytes) {
          this.log(null, 'warn', `dropped a line from the service longer than ${this.maxLineBytes} bytes`)
          this.discarding = true
          this.chunks = []
          this.buffered = 0
        } else {
          this.chunks.push(piece)
          this.buffered += piece.length
        }
      }
      if (nl === -1) break
      if (!this.discarding) {
        const line = Buffer.concat(this.chunks).toString('utf8')
        this.chunks = []
        this.buffered = 0
        this.dispatch(line)
      }
      this.discarding = false
      start = nl + 1
    }
  }

  dispatch (line) {
    if (line.trim() === '') return
    let message
    try {
      message = JSON.parse(line)
    } catch (e) {
      this.log(null, 'warn', `dropped a malformed line from the service (${line.length} characters): ${e.message}`)
      return
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.log(null, 'warn', 'dropped a line from the service that is not a JSON object')
      return
    }
    if (message.t === 'res' && Number.isInteger(message.id)) {
      this.settle(message)
    } else if (message.t === 'req' && Number.isInteger(message.id) && typeof message.op === 'string') {
      this.serve(message)
    } else {
      this.log(null, 'warn', `dropped a line from the service with an unknown shape (t=${JSON.stringify(message.t)})`)
    }
  }

  settle (message) {
    const waiting = this.pending.get(message.id)
    if (!waiting) {
      this.log(null, 'debug', `an answer to request ${message.id} came after it was given up`)
      return
    }
    this.pending.delete(message.id)
    clearTimeout(waiting.timer)
    if (message.ok === true) {
      waiting.resolve(message.result ?? {})
    } else {
      const error = message.error || {}
      waiting.reject(new RequestError(String(error.code || 'failed'), String(error.message || 'the service refused the request')))
    }
  }

  async serve (message) {
    const handler = this.handlers.get(message.op)
    if (!handler) {
      this.send({ t: 'res', id: message.id, ok: false, error: { code: 'unknown_op', message: `no operation '${message.op}'` } })
      return
    }
    try {
      const result = await handler(message)
      this.send({ t: 'res', id: message.id, ok: true, result: result ?? {} })
    } catch (e) {
      const code = e instanceof RequestError ? e.code : 'failed'
      this.send({ t: 'res', id: message.id, ok: false, error: { code, message: String(e && e.message ? e.message : e) } })
    }
  }

  /** Sends a request to the service; resolves with its result, rejects on its error or after the timeout. */
  request (op, fields) {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new RequestError('timeout', `the service did not answer ${op} within ${this.requestTimeoutMs} ms`))
      }, this.requestTimeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      this.send({ ...fields, t: 'req', id, op })
    })
  }

  event (socket, event, fields) {
    this.send({ ...fields, t: 'evt', socket, event })
  }

  log (socket, level, msg, fields) {
    const line = { t: 'log', level, msg }
    if (socket !== null && socket !== undefined) line.socket = socket
    if (fields && Object.keys(fields).length > 0) line.fields = fields
    this.send(line)
  }

  send (message) {
    let text
    try {
      text = JSON.stringify(message)
    } catch (e) {
      text = JSON.stringify({ t: 'log', level: 'error', msg: `could not serialize a ${message.t}: ${e.message}` })
    }
    if (Buffer.byteLength(text) > this.maxLineBytes) {
      // the service would drop it; say what was lost instead, and fail a request so its caller learns it now
      const what = message.t === 'req' ? `request ${message.op}` : message.t === 'evt' ? `event ${message.event}` : message.t
      text = JSON.stringify({ t: 'log', level: 'error', socket: message.socket, msg: `not sent: ${what} is longer than ${this.maxLineBytes} bytes` })
      if (message.t === 'req') {
        const waiting = this.pending.get(message.id)
        if (waiting) {
          this.pending.delete(message.id)
          clearTimeout(waiting.timer)
          queueMicrotask(() => waiting.reject(new RequestError('too_large', `${what} is longer than ${this.maxLineBytes} bytes`)))
        }
      }
    }
    this.output.write(text + '\n')
  }

  /** Fails every request still waiting (the link is going away). */
  abandon (why) {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer)
      waiting.reject(new RequestError('closed', why))
      this.pending.delete(id)
    }
  }
}
