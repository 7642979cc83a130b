import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { redisKeyStore } from '../src/index.js'

describe('redisKeyStore: unknown options are a config error naming the nearest known option', () => {
  it('"prefix" → did you mean "keyPrefix"?', () => {
    // A real ioredis client that never connects: the option check runs before any command.
    const client = new Redis({ lazyConnect: true })
    try {
      expect(() => redisKeyStore({ client, prefix: 'app:' } as never)).toThrow(
        expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('redisKeyStore: unknown option "prefix" (did you mean "keyPrefix"?)') }),
      )
      expect(() => redisKeyStore({ client, keyPrefix: 'app:' })).not.toThrow()
    } finally {
      client.disconnect()
    }
  })
})
