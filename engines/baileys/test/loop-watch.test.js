// LoopWatch: a stall of the host's event loop is reported with how long it was, at most once per period; the clock
// is a stand-in, except in the last test, which blocks the real loop.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LoopWatch, stallMessage } from '../lib/loop-watch.js'

function watched (options = {}) {
  let now = 0
  const reports = []
  const watch = new LoopWatch({ report: (r) => reports.push(r), intervalMs: 500, stallMs: 3000, reportEveryMs: 30000, now: () => now, ...options })
  watch.expected = 500
  return { watch, reports, at (ms) { now = ms; watch.tick() } }
}

test('timers on time report nothing', () => {
  const w = watched()
  for (let t = 500; t <= 10000; t += 500) w.at(t + 20)
  assert.deepEqual(w.reports, [])
})

test('a stall is reported at once with how late the loop was', () => {
  const w = watched()
  w.at(500)
  w.at(1000 + 5200) // due at 1000, ran 5.2 s late
  assert.deepEqual(w.reports, [{ worstMs: 5200, stalls: 1 }])
  assert.match(stallMessage(w.reports[0]), /stalled for 5\.2 s; Baileys ends a socket whose keepalive runs about 5 s late/)
})

test('a shorter lateness is not a stall', () => {
  const w = watched()
  w.at(500 + 2999)
  assert.deepEqual(w.reports, [])
})

test('stalls within a period are counted into one report after it', () => {
  const w = watched()
  w.at(500 + 4000) // reported at once: 4,500
  w.at(5000 + 3500) // 8,500: counted
  w.at(9000 + 6000) // 15,000: counted, the worst
  for (let t = 15500; t < 34500; t += 500) w.at(t)
  assert.equal(w.reports.length, 1)
  w.at(34500) // 30 s after the first report
  assert.deepEqual(w.reports, [{ worstMs: 4000, stalls: 1 }, { worstMs: 6000, stalls: 2 }])
  assert.match(stallMessage(w.reports[1]), /stalled 2 times, at worst for 6\.0 s/)
  for (let t = 35000; t <= 70000; t += 500) w.at(t)
  assert.equal(w.reports.length, 2, 'nothing new, nothing said')
})

test('it notices the real loop blocked', async () => {
  const reports = []
  // every stall reported: a stall of the machine itself before the block must not hold the block's report back
  const watch = new LoopWatch({ report: (r) => reports.push(r), intervalMs: 20, stallMs: 150, reportEveryMs: 0 }).start()
  try {
    await new Promise((resolve) => setTimeout(resolve, 60))
    const until = performance.now() + 400
    while (performance.now() < until) { /* the loop is blocked */ }
    await new Promise((resolve) => setTimeout(resolve, 60))
  } finally {
    watch.stop()
  }
  const worst = Math.max(0, ...reports.map(r => r.worstMs))
  assert.ok(worst >= 300, `reported ${JSON.stringify(reports)}`)
})
