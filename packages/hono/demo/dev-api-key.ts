import { apiKey } from '@authspec/core'
import { generateApiKey, memoryKeyStore, type MemoryKeyStore } from '@authspec/core/api-keys'
import type { Context } from 'hono'

/** Prefix of the keys the demo issues: `pets_…`. */
export const ISSUED_KEY_PREFIX = 'pets'
/** Usage limit of every issued key: 5 requests per 60 s, then 429 (shared by the whole demo process). */
export const ISSUED_KEY_LIMIT = { requests: 5, window: 60 } as const

/** A principal of an issued key. */
export interface IssuedKeyPrincipal {
  keyId: string
}

/** The demo's key store (in memory: one process) and the `IssuedKey` scheme that reads it. */
export function issuedKeys() {
  const store: MemoryKeyStore<IssuedKeyPrincipal> = memoryKeyStore<IssuedKeyPrincipal>({ maxKeys: 10_000 })
  const scheme = apiKey({
    in: 'header',
    name: 'X-Pets-Key',
    description: `A key from POST /dev/api-key (stored hashed; ${ISSUED_KEY_LIMIT.requests} requests per ${ISSUED_KEY_LIMIT.window} s, then 429)`,
    store,
    prefix: ISSUED_KEY_PREFIX,
    limit: ISSUED_KEY_LIMIT,
    throttle: { failures: 20, window: 300 },
  })
  return { store, scheme }
}

/**
 * `POST /dev/api-key` (development only): issues a new key, stored by its hash, and shows it
 * once. Never mount it in production: anyone who can reach it gets a key.
 */
export function issueDevApiKey(c: Context, store: MemoryKeyStore<IssuedKeyPrincipal>): Response {
  const { key, id, hash } = generateApiKey({ prefix: ISSUED_KEY_PREFIX })
  store.set(hash, { id, principal: { keyId: id }, scopes: ['pets:read'] })
  return c.json({ key, id, header: 'X-Pets-Key', limit: ISSUED_KEY_LIMIT }, 201, { 'Cache-Control': 'no-store' })
}
