// `@authspec/core/cloudflare`: Workers bindings as key and counter stores. A subpath, not a
// package: they use nothing but the core's store interfaces and Web APIs, and a Worker imports
// them next to the core it already bundles.
export { AuthspecCounters, durableObjectCounterStore } from '../api-keys/durable-object-counters.js'
export type { DurableObjectCounterOptions, DurableObjectNamespaceLike, DurableObjectStateLike } from '../api-keys/durable-object-counters.js'
export { kvKeyStore } from '../api-keys/kv-store.js'
export type { KvKeyStore, KvKeyStoreOptions, KvNamespaceLike } from '../api-keys/kv-store.js'
export { durableObjectReplayStore } from '../api-keys/durable-object-replay.js'
export type { DurableObjectReplayOptions, ReplayStorageLike } from '../api-keys/durable-object-replay.js'
