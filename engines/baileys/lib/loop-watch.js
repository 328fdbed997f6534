// The host runs every Baileys socket on one event loop, and Baileys ends a socket whose keepalive tick runs about 5 s
// late (7.0.0-rc14 lib/Socket/socket.js, startKeepAliveRequest: no frame decoded for keepAliveIntervalMs + 5 s, and
// an idle socket's last frame is the answer to the previous tick's ping). So a stall that long drops live connections
// of other sessions. LoopWatch notices such stalls and reports them, so that the "Connection lost" lines that follow
// in the service's log have their cause next to them.

/** How late a timer may run before it is a stall worth a log line (Baileys' own tolerance is 5 s). */
export const STALL_MS = 3000
/** At most one report per this long; the next one counts what happened in between. */
export const REPORT_EVERY_MS = 30000

export class LoopWatch {
  /**
   * @param report      called with { worstMs, stalls } for the stalls since the last report
   * @param intervalMs  how often the loop is sampled
   * @param stallMs     lateness that counts as a stall
   * @param reportEveryMs the least time between two reports
   * @param now         the clock, in ms
   */
  constructor ({ report, intervalMs = 500, stallMs = STALL_MS, reportEveryMs = REPORT_EVERY_MS, now = () => performance.now() }) {
    this.report = report
    this.intervalMs = intervalMs
    this.stallMs = stallMs
    this.reportEveryMs = reportEveryMs
    this.now = now
    this.timer = null
    this.pending = { worstMs: 0, stalls: 0 }
    this.lastReport = -Infinity
  }

  start () {
    this.expected = this.now() + this.intervalMs
    this.timer = setInterval(() => this.tick(), this.intervalMs)
    this.timer.unref() // never what keeps the host alive
    return this
  }

  stop () {
    clearInterval(this.timer)
    this.timer = null
  }

  /** One sample: how late this timer ran against when it was due. */
  tick () {
    const at = this.now()
    const lateMs = at - this.expected
    this.expected = at + this.intervalMs
    if (lateMs >= this.stallMs) {
      this.pending.stalls++
      this.pending.worstMs = Math.max(this.pending.worstMs, lateMs)
    }
    if (this.pending.stalls > 0 && at - this.lastReport >= this.reportEveryMs) {
      this.report({ worstMs: Math.round(this.pending.worstMs), stalls: this.pending.stalls })
      this.pending = { worstMs: 0, stalls: 0 }
      this.lastReport = at
    }
  }
}

/** The log line for a report. */
export function stallMessage ({ worstMs, stalls }) {
  const seconds = (worstMs / 1000).toFixed(1)
  const what = stalls === 1 ? `the event loop stalled for ${seconds} s` : `the event loop stalled ${stalls} times, at worst for ${seconds} s`
  return `${what}; Baileys ends a socket whose keepalive runs about 5 s late, so sockets may reconnect (busy host: many pairings at once, too little CPU)`
}
