'use strict'
// Loaded into the Baileys host by Linkwell's side-by-side benchmark, through the environment the service passes on
// (NODE_OPTIONS="--expose-gc --require node-probe.cjs"), so the harness can read the Node process from inside as it
// reads the JVM with jcmd. On a loopback port:
//   GET /memory         process.memoryUsage() after garbage collection
//   GET /event-loop     how late the event loop ran since the previous call (mean, p99, max in ms) and the garbage
//                       collections in that time (count, total and longest pause in ms, the major ones apart), then
//                       resets
//   GET /heap-snapshot  writes a V8 heap snapshot next to this file and answers its path (for heap-summary.cjs)
//   GET /cpu-profile    with LINKWELL_BENCH_CPU_PROFILE=1 only: writes the CPU profile sampled since the host started
//                       (or since the previous call) next to this file, answers its path, and starts the next one
// Writes {"pid","port"} to $LINKWELL_BENCH_PROBE_DIR/<pid>.json. Never writes to stdout: the host's protocol runs
// there.
const fs = require('node:fs')
const http = require('node:http')
const inspector = require('node:inspector')
const path = require('node:path')
const v8 = require('node:v8')
const { monitorEventLoopDelay, PerformanceObserver, constants } = require('node:perf_hooks')

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

/** Pauses of V8's collector since the last reset: a major (mark-compact) one stops every socket of the host. */
function gcPauses () {
  const zero = () => ({ count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMs: 0 })
  let period = zero()
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      // the collections /memory forces are the probe's, not the host's
      if (entry.detail && (entry.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED)) continue
      period.count++
      period.totalMs += entry.duration
      period.maxMs = Math.max(period.maxMs, entry.duration)
      if (entry.detail && entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        period.majorCount++
        period.majorMs += entry.duration
      }
    }
  }).observe({ entryTypes: ['gc'] })
  return () => {
    const out = period
    period = zero()
    return out
  }
}

/**
 * V8's sampling profiler, in process (Node 20 refuses --cpu-prof in NODE_OPTIONS): one profile per period, from the
 * host's start or the previous take, so a profile covers one step of the benchmark.
 */
function cpuProfiler () {
  const session = new inspector.Session()
  session.connect()
  const post = (method, params) => new Promise((resolve, reject) =>
    session.post(method, params, (err, result) => err ? reject(err) : resolve(result)))
  let running = post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 1000 }))
    .then(() => post('Profiler.start'))
  return async () => {
    await running
    const { profile } = await post('Profiler.stop')
    running = post('Profiler.start')
    const file = path.join(dir, `${process.pid}-${Date.now()}.cpuprofile`)
    await fs.promises.writeFile(file, JSON.stringify(profile))
    return { file }
  }
}

function serve (delay, takeGc, takeProfile) {
  const routes = {
    '/memory': () => afterGc(),
    '/event-loop': async () => {
      const ms = (ns) => ns / 1e6
      const out = { meanMs: ms(delay.mean), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max), samples: delay.count }
      delay.reset()
      return { ...out, gc: takeGc() }
    },
    '/heap-snapshot': async () => ({ file: v8.writeHeapSnapshot(path.join(dir, `${process.pid}-${Date.now()}.heapsnapshot`)) })
  }
  if (takeProfile) routes['/cpu-profile'] = takeProfile
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
  serve(delay, gcPauses(), process.env.LINKWELL_BENCH_CPU_PROFILE === '1' ? cpuProfiler() : null)
}
