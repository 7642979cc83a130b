import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { AuthContext } from '../types.js'
import type { KeyRecord, WritableKeyStore } from './key-store.js'
import { checkBindingOption, resolveBinding, type BindingKind } from './workers-binding.js'

/** The part of a Workers KV namespace binding the store uses. */
export interface KvNamespaceLike {
  get(key: string, options: { type: 'json'; cacheTtl?: number }): Promise<unknown>
  put(key: string, value: string, options?: { expiration?: number }): Promise<void>
  delete(key: string): Promise<void>
}

/** Options of {@link kvKeyStore}. */
export interface KvKeyStoreOptions {
  /**
   * The KV namespace, or how to find it in the request's bindings: `(env) => env.API_KEYS`. A
   * missing or misnamed binding is a config error (`ERR_AUTHSPEC_CONFIG`): at creation for a
   * binding given directly, else on the request that finds it missing (a 500, never a 503).
   */
  namespace: KvNamespaceLike | ((env: never) => KvNamespaceLike)
  /** Prefix of every KV key this store writes. @default "authspec:key:" */
  keyPrefix?: string
  /**
   * Seconds a location may serve a record from its cache (KV `cacheTtl`, at least 60). This is
   * the revocation bound added to KV's own propagation delay. @default undefined (KV's default, 60 s)
   */
  cacheTtl?: number
}

const KV_OPTIONS = optionNames<KvKeyStoreOptions>()('namespace', 'keyPrefix', 'cacheTtl')

const KV_BINDING: BindingKind<KvNamespaceLike> = {
  store: 'kvKeyStore',
  what: 'a KV namespace',
  declared: '[[kv_namespaces]] binding = "…"',
  is: (value): value is KvNamespaceLike => typeof value === 'object' && value !== null && typeof (value as KvNamespaceLike).get === 'function',
}

/** A Workers KV key store. */
export interface KvKeyStore<P extends object = object> extends WritableKeyStore<P> {
  get(hash: string, ctx?: AuthContext): Promise<KeyRecord<P> | undefined>
  /** Write a record; `env` gives the bindings when the namespace is a function of them. */
  set(hash: string, record: KeyRecord<P>, env?: unknown): Promise<void>
  delete(hash: string, env?: unknown): Promise<void>
}

/**
 * API keys in Cloudflare Workers KV. Reads are fast and global, but KV is eventually
 * consistent: a write (a new key, a revocation) can take 60 s or more to reach every location,
 * so revocation is bounded by that delay plus `cacheTtl`, not by a round trip. KV has no atomic
 * increment either, so this store keeps no counters: usage limits need `limit.counters`, and
 * failed-auth throttling without `throttle.counters` counts per isolate only (see the README).
 */
export function kvKeyStore<P extends object = object>(options: KvKeyStoreOptions): KvKeyStore<P> {
  if (options === null || typeof options !== 'object') throw configError('kvKeyStore: options object required')
  checkOptions('kvKeyStore', options, KV_OPTIONS)
  const { namespace, cacheTtl } = options
  checkBindingOption(KV_BINDING, namespace)
  if (cacheTtl !== undefined && (typeof cacheTtl !== 'number' || !(cacheTtl >= 60))) throw configError('kvKeyStore: cacheTtl must be at least 60 (seconds)')
  const prefix = options.keyPrefix ?? 'authspec:key:'
  const resolve = (env: unknown): KvNamespaceLike => resolveBinding(KV_BINDING, namespace, env)
  const getOptions = cacheTtl === undefined ? ({ type: 'json' } as const) : ({ type: 'json', cacheTtl } as const)
  return {
    get: async (hash, ctx) => {
      const value = await resolve(ctx?.env).get(prefix + hash, getOptions)
      return value === null || typeof value !== 'object' ? undefined : (value as KeyRecord<P>)
    },
    set: async (hash, record, env) => {
      // KV expirations must lie ≥ 60 s ahead; the core checks `expiresAt` itself in any case.
      const expiration = record.expiresAt !== undefined && record.expiresAt > Date.now() + 120_000 ? Math.ceil(record.expiresAt / 1000) + 60 : undefined
      await resolve(env).put(prefix + hash, JSON.stringify(record), expiration === undefined ? undefined : { expiration })
    },
    delete: async (hash, env) => {
      await resolve(env).delete(prefix + hash)
    },
  }
}
