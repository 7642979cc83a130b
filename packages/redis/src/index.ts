export { redisKeyStore } from './redis-store.js'
export type { RedisKeyStore, RedisKeyStoreOptions } from './redis-store.js'
