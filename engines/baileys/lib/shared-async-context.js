// One AsyncLocalStorage for the whole host, whatever the number of sockets.
//
// On Node 20 and 22 (without --experimental-async-context-frame) each AsyncLocalStorage that has run sits in one
// process-wide list until disable(), and for every new promise or other async resource Node walks that list and sets
// one property per instance on the resource (lib/async_hooks.js: storageList, _propagate). Baileys makes one instance
// per socket (addTransactionCapability, Utils/auth-utils.js of 7.0.0-rc14) and never disables it, so after N socket
// starts every promise costs N steps and N properties. Profiled while pairing 1,000 sessions in one host: 46% of the
// host's CPU in async_hooks, 24% in GC, and an event loop late by up to 10 s, which made Baileys' keepalive drop live
// connections.
//
// Installed before Baileys loads, every `new AsyncLocalStorage()` in the host is a view on one real instance whose
// store maps each view to its value: the same run/getStore/exit/enterWith/disable behaviour, one step per promise,
// and nothing left behind by a socket that ended.

import asyncHooks from 'node:async_hooks'
import { syncBuiltinESMExports } from 'node:module'

const NodeAsyncLocalStorage = asyncHooks.AsyncLocalStorage
const EMPTY = new Map()
/** The one real instance; its store is a Map from each view to the view's value. */
const shared = new NodeAsyncLocalStorage()

export class SharedAsyncLocalStorage {
  static bind (fn) {
    return NodeAsyncLocalStorage.bind(fn)
  }

  static snapshot () {
    return NodeAsyncLocalStorage.snapshot()
  }

  constructor () {
    this.disabled = false
  }

  getStore () {
    if (this.disabled) return undefined
    return (shared.getStore() ?? EMPTY).get(this)
  }

  run (store, callback, ...args) {
    this.disabled = false
    return shared.run(this.frameWith(store), callback, ...args)
  }

  exit (callback, ...args) {
    const frame = new Map(shared.getStore() ?? EMPTY)
    frame.delete(this)
    return shared.run(frame, callback, ...args)
  }

  enterWith (store) {
    this.disabled = false
    shared.enterWith(this.frameWith(store))
  }

  /** As Node's: getStore() answers undefined everywhere until the next run() or enterWith(). */
  disable () {
    this.disabled = true
  }

  frameWith (store) {
    const frame = new Map(shared.getStore() ?? EMPTY)
    frame.set(this, store)
    return frame
  }
}

let installed = false

/**
 * Makes `AsyncLocalStorage` of 'node:async_hooks' (and of 'async_hooks', for `import` and `require`) the shared
 * one. Call it before importing what uses AsyncLocalStorage: an ES module binds the class when it loads.
 */
export function shareAsyncLocalStorage () {
  if (installed) return
  installed = true
  asyncHooks.AsyncLocalStorage = SharedAsyncLocalStorage
  syncBuiltinESMExports()
}
