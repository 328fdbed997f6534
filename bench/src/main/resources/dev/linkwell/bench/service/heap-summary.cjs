'use strict'
// node heap-summary.cjs <file.heapsnapshot> [lines]: the V8 heap of a snapshot by constructor (or node type for
// strings, code, arrays...), largest self size first: what jcmd GC.class_histogram is to a JVM. Reads the
// snapshot's documented layout (snapshot.meta: node_fields, node_types), nothing else.
const fs = require('node:fs')

const [file, linesArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: node heap-summary.cjs <file.heapsnapshot> [lines]')
  process.exit(2)
}
const lines = Number(linesArg || 25)
const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'))
const meta = snapshot.snapshot.meta
const fields = meta.node_fields
const types = meta.node_types[fields.indexOf('type')]
const TYPE = fields.indexOf('type')
const NAME = fields.indexOf('name')
const SIZE = fields.indexOf('self_size')
const nodes = snapshot.nodes
const byName = new Map()
let total = 0
for (let i = 0; i < nodes.length; i += fields.length) {
  const type = types[nodes[i + TYPE]]
  const key = type === 'object' || type === 'closure' ? `${snapshot.strings[nodes[i + NAME]]} (${type})` : `(${type})`
  const size = nodes[i + SIZE]
  total += size
  const entry = byName.get(key) || { count: 0, bytes: 0 }
  entry.count++
  entry.bytes += size
  byName.set(key, entry)
}
const top = [...byName.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, lines)
process.stdout.write(`${'count'.padStart(12)} ${'self bytes'.padStart(14)}  name (${(total / 1048576).toFixed(1)} MiB in all)\n`)
for (const [name, e] of top) {
  process.stdout.write(`${String(e.count).padStart(12)} ${String(e.bytes).padStart(14)}  ${name}\n`)
}
