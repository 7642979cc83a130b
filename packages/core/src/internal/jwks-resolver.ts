import { importJWK, type JWK, type JWTHeaderParameters } from 'jose'
import { RemoteDocument, type ResolvedRemoteOptions } from './remote-document.js'

/** No key of the set can verify this token (unknown `kid`, wrong type or algorithm). */
export class NoMatchingKey extends Error {
  constructor(message = 'no matching key') {
    super(message)
    this.name = 'NoMatchingKey'
  }
}

/**
 * The most keys one token is tried against. A token without `kid` is tried against the first
 * `MAX_KIDLESS_KEYS` keys of the set that fit its `alg`, in set order, and gets 401 when none of
 * them verifies it: a forged kid-less token costs at most 3 imports and signature checks, not
 * one per key of a large set.
 */
export const MAX_KIDLESS_KEYS = 3

interface KeyEntry {
  readonly jwk: JWK
  readonly imported: Map<string, Promise<CryptoKey | undefined>>
}

const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }

/** True when a JWK of this type and curve may verify `alg`. `oct` keys never do (HMAC is never taken from a JWKS). */
export function fits(jwk: JWK, alg: string): boolean {
  switch (jwk.kty) {
    case 'RSA':
      return alg.startsWith('RS') || alg.startsWith('PS')
    case 'EC':
      return EC_CURVES[alg] !== undefined && EC_CURVES[alg] === jwk.crv
    case 'OKP':
      return (alg === 'Ed25519' && jwk.crv === 'Ed25519') || (alg === 'EdDSA' && (jwk.crv === 'Ed25519' || jwk.crv === 'Ed448'))
    default:
      return false
  }
}

/** Parse a JWKS document; keys that are not public signature keys are dropped. Throws on a non-JWKS. */
function parseJwks(json: unknown): KeyEntry[] {
  const keys = (json as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys)) throw new TypeError('not a JSON Web Key Set')
  const out: KeyEntry[] = []
  for (const key of keys) {
    if (key === null || typeof key !== 'object' || Array.isArray(key)) continue
    const jwk = key as JWK
    if (typeof jwk.kty !== 'string' || jwk.kty === 'oct') continue
    if (jwk.d !== undefined) continue // a private key published by mistake: never used
    if (jwk.use !== undefined && jwk.use !== 'sig') continue
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) continue
    out.push({ jwk, imported: new Map() })
  }
  return out
}

/**
 * Resolves verification keys from one remote JWKS URL. The key is chosen by the server: the
 * token's `alg` must be allowed (checked before this is called), the key's `kty`/`crv` must fit
 * it, its `alg` (when set) must equal it, and its `kid` must equal the token's when the token has
 * one. Embedded `jwk`, `jku`, `x5u`, `x5c` headers are ignored. Each key is imported once per alg.
 */
export class JwksResolver {
  readonly document: RemoteDocument<KeyEntry[]>

  constructor(url: string, options: ResolvedRemoteOptions) {
    this.document = new RemoteDocument(url, parseJwks, options)
  }

  /** Prefetch the set (rejects with `RemoteUnavailable`). */
  async warmup(): Promise<void> {
    await this.document.get()
  }

  /**
   * Keys that may verify a token with this header (usually one; at most {@link MAX_KIDLESS_KEYS},
   * the first fitting ones, for a token without `kid`). An unknown `kid` refetches the set at
   * most once per cooldown. Throws `NoMatchingKey` or `RemoteUnavailable`.
   */
  async keys(header: JWTHeaderParameters): Promise<CryptoKey[]> {
    const current = this.document.get()
    const entries = Array.isArray(current) ? current : await current
    let found = await this.#select(entries, header)
    if (found.length === 0) {
      const refreshed = this.document.refresh()
      if (refreshed !== undefined) found = await this.#select(await refreshed, header)
    }
    if (found.length === 0) throw new NoMatchingKey()
    return found
  }

  async #select(entries: readonly KeyEntry[], header: JWTHeaderParameters): Promise<CryptoKey[]> {
    const { alg, kid } = header
    if (typeof alg !== 'string') return []
    const out: CryptoKey[] = []
    let tried = 0
    for (const entry of entries) {
      const jwk = entry.jwk
      if (kid !== undefined && jwk.kid !== kid) continue
      if (jwk.alg !== undefined && jwk.alg !== alg) continue
      if (!fits(jwk, alg)) continue
      if (++tried > MAX_KIDLESS_KEYS) break
      let pending = entry.imported.get(alg)
      if (pending === undefined) {
        pending = importJWK(jwk, alg).then(
          (key) => key as CryptoKey,
          () => undefined,
        )
        entry.imported.set(alg, pending)
      }
      const key = await pending
      if (key !== undefined) out.push(key)
    }
    return out
  }
}
