export { redisKeyStore } from './redis-store.js'
export type { RedisKeyStore, RedisKeyStoreOptions } from './redis-store.js'
export { redisReplayStore } from './replay-store.js'
export type { RedisReplayStoreOptions } from './replay-store.js'
