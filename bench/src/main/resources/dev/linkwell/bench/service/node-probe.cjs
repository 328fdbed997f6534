'use strict'
// Loaded into the Baileys host by Linkwell's side-by-side benchmark, through the environment the service passes on
// (NODE_OPTIONS="--expose-gc --require node-probe.cjs"), so the harness can read the Node process from inside as it
// reads the JVM with jcmd. On a loopback port:
//   GET /memory         process.memoryUsage() after garbage collection
//   GET /event-loop     how late the event loop ran since the previous call (mean, p99, max in ms), then resets
//   GET /heap-snapshot  writes a V8 heap snapshot next to this file and answers its path (for heap-summary.cjs)
// Writes {"pid","port"} to $LINKWELL_BENCH_PROBE_DIR/<pid>.json. Never writes to stdout: the host's protocol runs
// there.
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const v8 = require('node:v8')
const { monitorEventLoopDelay } = require('node:perf_hooks')

const dir = process.env.LINKWELL_BENCH_PROBE_DIR
const STABLE_BYTES = 256 * 1024
const MAX_ROUNDS = 6

/** Collects garbage until two readings differ by less than 256 KiB (2 to 6 rounds, a turn of the loop apart). */
async function afterGc () {
  let previous = Infinity
  let rounds = 0
  for (; rounds < MAX_ROUNDS; rounds++) {
    global.gc()
    await new Promise(resolve => setTimeout(resolve, 50))
    const used = process.memoryUsage().heapUsed
    if (rounds >= 1 && Math.abs(used - previous) < STABLE_BYTES) break
    previous = used
  }
  return { ...process.memoryUsage(), gcRounds: rounds + 1, pid: process.pid }
}

function serve (delay) {
  const routes = {
    '/memory': () => afterGc(),
    '/event-loop': async () => {
      const ms = (ns) => ns / 1e6
      const out = { meanMs: ms(delay.mean), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max), samples: delay.count }
      delay.reset()
      return out
    },
    '/heap-snapshot': async () => ({ file: v8.writeHeapSnapshot(path.join(dir, `${process.pid}-${Date.now()}.heapsnapshot`)) })
  }
  const server = http.createServer((req, res) => {
    const route = req.method === 'GET' && routes[req.url]
    if (!route) {
      res.writeHead(404).end()
      return
    }
    route().then(
      m => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(m)),
      e => res.writeHead(500).end(String(e)))
  })
  server.listen(0, '127.0.0.1', () => {
    const file = path.join(dir, `${process.pid}.json`)
    fs.writeFileSync(file + '.tmp', JSON.stringify({ pid: process.pid, port: server.address().port }))
    fs.renameSync(file + '.tmp', file)
  })
  // the probe never keeps the host alive: it exits when its stdin ends, as without the probe
  server.unref()
}

if (dir && typeof global.gc === 'function') {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  serve(delay)
}
