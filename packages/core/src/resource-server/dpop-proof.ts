import { base64url, calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose'
import { fits } from '../internal/jwks-resolver.js'
import { Lru } from '../internal/lru.js'
import type { AuthContext, RequestLike } from '../types.js'
import type { DpopReplayStore } from './dpop-replay.js'
import { afterStore } from '../internal/store-call.js'
import { canonicalUri } from '../internal/canonical-uri.js'

/** Checked DPoP settings of one scheme. */
export interface DpopConfig {
  readonly required: boolean
  readonly algorithms: readonly string[]
  /** Public origin for `htu` (behind proxies); else the resource's, else the request URL's. */
  origin: string | undefined
  /** Proofs older than this (by `iat`) are refused, in seconds. */
  readonly maxAge: number
  /** Leeway for `iat`, in seconds. */
  readonly tolerance: number
  readonly replay: DpopReplayStore
  /** Milliseconds the replay store may take. */
  readonly replayTimeout: number
  readonly nonce: DpopNonce | undefined
}

/** Server-provided nonces (RFC 9449 §8): `current()` is sent in `DPoP-Nonce`, `check(nonce)` accepts a proof's. */
export interface DpopNonce {
  current(): string
  check(nonce: string): boolean
}

/** Why a proof was refused; `nonce` asks the client to retry with the server's nonce. */
export type ProofFailure = { readonly detail: string; readonly nonce?: true; readonly unavailable?: true }

const MAX_PROOF_LENGTH = 8192
const KEYS = new Lru<string, Promise<CryptoKey | Uint8Array>>(1000)
const THUMBPRINTS = new Lru<string, Promise<string>>(1000)
const HASHES = new Lru<string, Promise<string>>(1000)
const encoder = new TextEncoder()

/** The members RFC 7638 hashes: enough to identify a public key, in a stable order. */
function keyId(jwk: JWK): string | undefined {
  switch (jwk.kty) {
    case 'EC':
      return `EC.${jwk.crv}.${jwk.x}.${jwk.y}`
    case 'OKP':
      return `OKP.${jwk.crv}.${jwk.x}`
    case 'RSA':
      return `RSA.${jwk.e}.${jwk.n}`
    default:
      return undefined
  }
}

function memo<T>(cache: Lru<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key)
  if (value === undefined) {
    value = make()
    value.catch(() => cache.delete(key))
    cache.set(key, value)
  }
  return value
}

/** base64url(SHA-256(token)), the proof's `ath` (RFC 9449 §4.2); memoised per token. */
export function accessTokenHash(token: string): Promise<string> {
  return memo(HASHES, token, async () => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)))))
}

/** The request's `htu`: the public URL without query and fragment, canonical. */
function requestTarget(request: RequestLike, origin: string | undefined): string | undefined {
  let url = request.url
  const q = url.search(/[?#]/)
  if (q !== -1) url = url.slice(0, q)
  if (origin !== undefined) {
    const path = url.startsWith('/') ? url : URL.canParse(url) ? new URL(url).pathname : undefined
    if (path === undefined) return undefined
    return canonicalUri(origin + path)
  }
  return canonicalUri(url)
}

/**
 * Check a DPoP proof (RFC 9449 §4.3) for `request` and the access `token`: `typ`, an allowed
 * `alg`, an embedded public `jwk` that signed it, `htm`, `htu`, `iat` within the window, `ath`,
 * the server nonce when configured, the key the token is `bound` to (`cnf.jkt`), and an unseen
 * `jti`. Resolves to the key's thumbprint (`jkt`) or to a failure.
 */
export async function checkProof(proof: string, token: string, ctx: AuthContext, config: DpopConfig, bound: string): Promise<{ jkt: string } | ProofFailure> {
  const { request } = ctx
  if (proof.length > MAX_PROOF_LENGTH || proof.includes(',')) return { detail: 'one DPoP proof expected' }
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(proof)
  } catch {
    return { detail: 'DPoP proof malformed' }
  }
  if (header.typ !== 'dpop+jwt') return { detail: 'DPoP proof typ must be dpop+jwt' }
  const alg = header.alg
  if (typeof alg !== 'string' || !config.algorithms.includes(alg)) return { detail: 'DPoP proof algorithm not allowed' }
  const jwk = header.jwk
  if (jwk === null || typeof jwk !== 'object' || 'd' in jwk || !fits(jwk, alg)) return { detail: 'DPoP proof jwk missing, private or unfit' }
  const id = keyId(jwk)
  if (id === undefined) return { detail: 'DPoP proof jwk unsupported' }
  let payload: Record<string, unknown>
  try {
    const key = await memo(KEYS, `${alg}.${id}`, () => importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e } as JWK, alg))
    ;({ payload } = await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: [alg] }))
  } catch {
    return { detail: 'DPoP proof signature invalid' }
  }
  if (payload.htm !== request.method) return { detail: 'DPoP proof htm mismatch' }
  const target = requestTarget(request, config.origin)
  if (target === undefined) return { detail: 'the request URL is relative: set the scheme\'s dpop.origin' }
  if (typeof payload.htu !== 'string' || requestTarget({ ...request, url: payload.htu }, undefined) !== target) return { detail: 'DPoP proof htu mismatch' }
  const { iat, jti } = payload
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return { detail: 'DPoP proof iat missing' }
  const now = Date.now() / 1000
  if (iat > now + config.tolerance || iat < now - config.maxAge - config.tolerance) return { detail: 'DPoP proof iat outside the window' }
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) return { detail: 'DPoP proof jti missing' }
  if (payload.ath !== (await accessTokenHash(token))) return { detail: 'DPoP proof ath mismatch' }
  if (config.nonce !== undefined && (typeof payload.nonce !== 'string' || !config.nonce.check(payload.nonce))) return { detail: 'DPoP nonce required', nonce: true }
  const jkt = await memo(THUMBPRINTS, id, () => calculateJwkThumbprint(jwk, 'sha256'))
  // Before the replay store: a proof by another key than the token's costs no store write.
  if (jkt !== bound) return { detail: 'the DPoP proof key is not the one the token is bound to' }
  // A store that throws, rejects or hangs is an outage (503); a config error it finds is thrown on.
  return afterStore(
    () => config.replay.use(`${jkt}.${jti}`, (iat + config.maxAge + config.tolerance) * 1000, ctx),
    config.replayTimeout,
    (fresh): { jkt: string } | ProofFailure => (fresh === true ? { jkt } : { detail: 'DPoP proof replayed' }),
    (): ProofFailure => ({ detail: 'DPoP replay store unavailable', unavailable: true }),
  )
}
