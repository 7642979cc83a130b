import { checkOptions, optionNames } from '../internal/check-options.js'
import { HASH_OPTIONS, keyHasher, publicId, type HashApiKeyOptions } from './hash.js'
import { checkPrefix, newKey } from './key-format.js'

/** Options of {@link generateApiKey}. */
export interface GenerateApiKeyOptions extends HashApiKeyOptions {
  /** Identifies the issuer and kind of key, e.g. `"pets"` → `pets_…`. 1–32 ASCII letters/digits. */
  prefix: string
}

const GENERATE_OPTIONS = optionNames<GenerateApiKeyOptions>()(...HASH_OPTIONS, 'prefix')

/** A new API key. */
export interface GeneratedApiKey {
  /** The secret: show it once to its owner, never store or log it. */
  readonly key: string
  /** Public identifier (for logs, dashboards, usage counters); derived from the hash, never the secret. */
  readonly id: string
  /** What to store, keyed by: `hashApiKey(key, options)`. */
  readonly hash: string
}

/**
 * A new API key: `<prefix>_` + 178 random bits in base62 + a CRC-32 checksum in base62.
 *
 * @example const { key, id, hash } = generateApiKey({ prefix: 'pets' })
 */
export function generateApiKey(options: GenerateApiKeyOptions): GeneratedApiKey {
  if (options !== null && typeof options === 'object') checkOptions('generateApiKey', options, GENERATE_OPTIONS)
  return newApiKey(options)
}

/** {@link generateApiKey} without the option-name check (for callers that checked their own, wider options). */
export function newApiKey(options: GenerateApiKeyOptions): GeneratedApiKey {
  checkPrefix('generateApiKey', options?.prefix)
  const key = newKey(options.prefix)
  const hash = keyHasher(options)(key)
  return { key, id: publicId(key, hash), hash }
}
