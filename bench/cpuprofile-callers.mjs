// Who calls the hot code of a V8 CPU profile (the .cpuprofile files `--profile-host DIR` writes).
//
//   node bench/cpuprofile-callers.mjs FILE function NAME [DEPTH]   self time of functions named NAME, by caller chain
//   node bench/cpuprofile-callers.mjs FILE package TEXT [DEPTH]    self time of frames whose URL contains TEXT, by the
//                                                                   chain of callers outside it
//
// It prints the top 12 chains, each with its self time in seconds. The harness's own summary (CpuProfileSummary)
// says which functions and packages take the time; this says on whose behalf.

import { readFileSync } from 'node:fs'

const [file, mode, what, depthArg] = process.argv.slice(2)
if (!file || !['function', 'package'].includes(mode) || !what) {
  process.stderr.write('usage: node bench/cpuprofile-callers.mjs FILE function|package NAME [DEPTH]\n')
  process.exit(2)
}
const depth = Number(depthArg ?? 4)
const profile = JSON.parse(readFileSync(file, 'utf8'))

const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const parents = new Map()
for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id)
const selfMicros = new Map()
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))

const matches = mode === 'function' ? (n) => n.callFrame.functionName === what : (n) => n.callFrame.url.includes(what)
const frame = (n) => `${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`

const byChain = new Map()
for (const n of profile.nodes) {
  const self = selfMicros.get(n.id) ?? 0
  if (self === 0 || !matches(n)) continue
  let id = parents.get(n.id)
  if (mode === 'package') {
    while (id !== undefined && matches(nodes.get(id))) id = parents.get(id)
  }
  const chain = []
  for (; chain.length < depth && id !== undefined; id = parents.get(id)) chain.push(frame(nodes.get(id)))
  const key = chain.join(' < ')
  byChain.set(key, (byChain.get(key) ?? 0) + self)
}
for (const [chain, micros] of [...byChain].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  console.log(`${(micros / 1e6).toFixed(1).padStart(8)} s  ${chain}`)
}
