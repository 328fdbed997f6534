// The shared AsyncLocalStorage: the behaviour Baileys relies on (its key-store transactions), and what it is for, that
// a promise made with thousands of instances in use carries one store, not one per instance. Node's test runner runs
// each file in a process of its own, so installing it here touches no other test.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { shareAsyncLocalStorage, SharedAsyncLocalStorage } from '../lib/shared-async-context.js'

shareAsyncLocalStorage()
const { AsyncLocalStorage } = await import('node:async_hooks')
const baileys = await import('baileys')

/** Symbol-keyed properties Node's async_hooks put on a new promise: one per AsyncLocalStorage that has run. */
function storesOnANewPromise () {
  const promise = Promise.resolve()
  return Object.getOwnPropertySymbols(promise).length
}

test('import and require see the shared class', async () => {
  const { createRequire } = await import('node:module')
  const require = createRequire(import.meta.url)
  assert.equal(AsyncLocalStorage, SharedAsyncLocalStorage)
  assert.equal(require('async_hooks').AsyncLocalStorage, SharedAsyncLocalStorage)
  assert.ok(new AsyncLocalStorage() instanceof SharedAsyncLocalStorage)
})

test('each instance keeps its own value through awaits, nested runs, exit, enterWith and disable', async () => {
  const a = new AsyncLocalStorage()
  const b = new AsyncLocalStorage()
  assert.equal(a.getStore(), undefined)
  const seen = await a.run('a1', async () => {
    await sleep(1)
    const inner = await b.run('b1', async () => {
      await sleep(1)
      return [a.getStore(), b.getStore(), a.exit(() => a.getStore()), a.exit(() => b.getStore())]
    })
    const nested = await a.run('a2', async () => a.getStore())
    return [...inner, b.getStore(), nested, a.getStore()]
  })
  assert.deepEqual(seen, ['a1', 'b1', undefined, 'b1', undefined, 'a2', 'a1'])
  assert.equal(a.getStore(), undefined)

  // two concurrent runs of one instance do not see each other's value
  const both = await Promise.all(['x', 'y'].map(v => a.run(v, async () => { await sleep(2); return a.getStore() })))
  assert.deepEqual(both, ['x', 'y'])

  await a.run('kept', async () => {
    a.disable()
    assert.equal(a.getStore(), undefined)
    a.enterWith('again')
    await sleep(1)
    assert.equal(a.getStore(), 'again')
  })
})

test("Baileys' key-store transactions work on it, and a promise carries one store however many sockets ran", async () => {
  const logger = { trace () {}, debug () {}, info () {}, warn () {}, error () {}, child () { return this } }
  const stored = {}
  const store = {
    async get (type, ids) {
      return Object.fromEntries(ids.filter(id => stored[`${type}.${id}`]).map(id => [id, stored[`${type}.${id}`]]))
    },
    async set (data) {
      for (const type of Object.keys(data)) {
        for (const [id, value] of Object.entries(data[type])) stored[`${type}.${id}`] = value
      }
    }
  }
  const before = storesOnANewPromise() // the test runner's own, made before the shared class was installed
  // as many transaction-capable key stores as a host with 2,000 socket starts has, each used once
  for (let i = 0; i < 2000; i++) {
    const keys = baileys.addTransactionCapability(store, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 1 })
    await keys.transaction(async () => {
      assert.ok(keys.isInTransaction())
      await keys.set({ session: { [`s${i}`]: Buffer.from([i & 0xff]) } })
      // inside the transaction the write is visible before it is committed
      const got = await keys.get('session', [`s${i}`])
      assert.deepEqual(got[`s${i}`], Buffer.from([i & 0xff]))
      assert.equal(stored[`session.s${i}`], undefined)
    }, `socket-${i}`)
    assert.ok(!keys.isInTransaction())
    assert.deepEqual(stored[`session.s${i}`], Buffer.from([i & 0xff]))
  }
  // Node's own class would have put 2,000 more on it, one per instance that ran
  assert.equal(storesOnANewPromise(), before)
})
