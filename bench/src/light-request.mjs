import { Buffer } from 'node:buffer'

/**
 * A request whose `X-API-Key` is `key` as a header parser hands it over: a flat string (a key
 * built by concatenation is a rope in V8, slower to read character by character). Shared by
 * inprocess-cases.mjs and api-keys.mjs; it imports nothing else, so neither process loads more.
 */
export function lightRequest(key) {
  const value = Buffer.from(key, 'latin1').toString('latin1')
  return { method: 'GET', url: '/pets', headers: { get: (name) => (name.toLowerCase() === 'x-api-key' ? value : null) } }
}
