// Baileys logs with pino; each socket gets a pino logger whose lines go to the service as {"t":"log"} lines,
// where they are logged through SLF4J (logger `baileys`) with the session id in the MDC.

import pino from 'pino'

const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' }
const ENVELOPE = new Set(['level', 'time', 'pid', 'hostname', 'msg'])
const MAX_FIELDS_CHARS = 4000

export const PINO_LEVELS = ['trace', 'debug', 'info', 'warn', 'error']

/**
 * Baileys logs every stream error at error level, also the 515 the server sends after each successful pairing
 * (Socket/socket.js 'CB:stream:error'): that one is the normal way to a login, so it is reported at info.
 */
function levelOf (entry) {
  const node = entry.fullErrorNode
  if (entry.msg === 'stream errored out' && node && node.attrs && node.attrs.code === '515') return 'info'
  return LEVELS[entry.level] || 'info'
}

/** A pino logger for one socket (or for the host itself when socket is null). */
export function serviceLogger (channel, socket, level) {
  return pino({ level: PINO_LEVELS.includes(level) ? level : 'warn' }, {
    write (line) {
      let entry
      try {
        entry = JSON.parse(line)
      } catch {
        channel.log(socket, 'warn', line.slice(0, MAX_FIELDS_CHARS))
        return
      }
      const fields = {}
      for (const [k, v] of Object.entries(entry)) {
        if (!ENVELOPE.has(k)) fields[k] = v
      }
      let extra = Object.keys(fields).length > 0 ? JSON.stringify(fields) : ''
      if (extra.length > MAX_FIELDS_CHARS) extra = extra.slice(0, MAX_FIELDS_CHARS) + '...'
      channel.log(socket, levelOf(entry), String(entry.msg ?? ''), extra ? { detail: extra } : undefined)
    }
  })
}
