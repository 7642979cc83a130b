import { importJWK, importSPKI, importX509, type JWK, type JWTHeaderParameters } from 'jose'
import { AuthspecError, configError, isAuthspecError } from '../errors.js'
import { RemoteUnavailable } from '../internal/remote-document.js'
import type { JwksResolver } from '../internal/jwks-resolver.js'
import type { KeyConfig } from './options.js'

const HASH: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }

/** Keys for one verification: a single ready key, or several to try in order. */
export type KeyLookup = CryptoKey | CryptoKey[] | Promise<CryptoKey | CryptoKey[]>

/** Where a JWT scheme gets its verification keys. */
export interface KeySource {
  /** The key(s) for a token with this header (the `alg` is already allowed). */
  lookup(header: JWTHeaderParameters): KeyLookup
  /** A key usable without looking at the header (one static key, imported), else `undefined`. */
  fixed(): CryptoKey | undefined
  /** Import or fetch everything now. */
  warmup(): Promise<void>
}

/**
 * Static keys (a secret or a public key), imported once per algorithm on first use and then
 * reused: never per request. An import failure is a configuration error, reported on every use.
 */
export function staticKeySource(kind: string, keys: Extract<KeyConfig, { kind: 'secret' | 'publicKey' }>, algorithms: readonly string[]): KeySource {
  const ready = new Map<string, CryptoKey>()
  const pending = new Map<string, Promise<CryptoKey>>()
  let single: CryptoKey | undefined

  const load = async (alg: string): Promise<CryptoKey> => {
    if (keys.kind === 'secret') {
      return crypto.subtle.importKey('raw', keys.secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: HASH[alg]! }, false, ['verify'])
    }
    const key = keys.publicKey
    if (typeof key === 'string') {
      const pem = key.replace(/^[ \t\r\n]+/, '')
      return pem.startsWith('-----BEGIN CERTIFICATE-----') ? importX509(pem, alg) : importSPKI(pem, alg)
    }
    if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) return key
    return (await importJWK(key as JWK, alg)) as CryptoKey
  }

  const get = (alg: string): CryptoKey | Promise<CryptoKey> => {
    const key = ready.get(alg)
    if (key !== undefined) return key
    let promise = pending.get(alg)
    if (promise === undefined) {
      promise = load(alg).then(
        (imported) => {
          ready.set(alg, imported)
          if (algorithms.length === 1) single = imported
          return imported
        },
        (cause: unknown) => {
          throw configError(`${kind}: the ${keys.kind} cannot be imported for ${alg}`, undefined, cause)
        },
      )
      promise.catch(() => undefined)
      pending.set(alg, promise)
    }
    return promise
  }

  return {
    lookup: (header) => get(header.alg),
    fixed: () => single,
    warmup: async () => {
      await Promise.all(algorithms.map(get))
    },
  }
}

/** Keys from a remote JWKS. */
export function jwksKeySource(resolver: JwksResolver): KeySource {
  return {
    lookup: (header) => resolver.keys(header).then((keys) => (keys.length === 1 ? keys[0]! : keys)),
    fixed: () => undefined,
    warmup: () => resolver.warmup(),
  }
}

/**
 * Run a scheme's warmup; keys or discovery unreachable reject with `ERR_AUTHSPEC_UNAVAILABLE`,
 * a key that cannot be imported (or any other fault) with `ERR_AUTHSPEC_CONFIG`, each carrying the cause.
 */
export async function warmupOrThrow(kind: string, run: () => Promise<void>): Promise<void> {
  try {
    await run()
  } catch (cause) {
    if (isAuthspecError(cause)) throw cause
    if (cause instanceof RemoteUnavailable) {
      throw new AuthspecError('ERR_AUTHSPEC_UNAVAILABLE', `${kind}: warmup failed: ${cause.message}`, { cause })
    }
    throw configError(`${kind}: warmup failed: ${cause instanceof Error ? cause.message : String(cause)}`, undefined, cause)
  }
}
