import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose'
import { randomBytes } from 'node:crypto'

/** Asymmetric algorithms the test helpers generate keys for. */
export type TestAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519'

/** A generated key pair for tests. */
export interface TestKey {
  readonly alg: TestAlgorithm
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  /** The public JWK with `kid`, `alg` and `use: "sig"`, as a JWKS publishes it. */
  readonly publicJwk: JWK
  /** The public key as SPKI PEM. */
  readonly publicPem: string
  /** The private JWK (to configure an OpenID provider under test). */
  readonly privateJwk: JWK
}

/** An HMAC secret for tests. */
export interface TestSecret {
  readonly alg: 'HS256' | 'HS384' | 'HS512'
  readonly secret: string
}

let counter = 0

/** Generate a key pair. @default alg "RS256", kid a unique `test-key-N-…` */
export async function createTestKey(alg: TestAlgorithm = 'RS256', options: { kid?: string } = {}): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const kid = options.kid ?? `test-key-${++counter}-${randomBytes(4).toString('hex')}`
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' }
  return { alg, kid, privateKey, publicKey, publicJwk, privateJwk, publicPem: await exportSPKI(publicKey) }
}

/** A random HMAC secret of the hash size (HS256: 32 bytes, …), base64url-encoded. */
export function createTestSecret(alg: TestSecret['alg'] = 'HS256'): TestSecret {
  const bytes = alg === 'HS256' ? 32 : alg === 'HS384' ? 48 : 64
  return { alg, secret: randomBytes(bytes).toString('base64url') }
}

/** Options of {@link signTestToken}. */
export interface SignTestTokenOptions {
  /** Extra protected-header parameters (`kid` and `alg` are set from the key). */
  header?: Record<string, unknown>
  /** `exp` = now + this many seconds; `null` for no `exp`. @default 300 */
  expiresIn?: number | null
  /** `iat` = this (seconds since epoch); `null` for no `iat`. @default now */
  issuedAt?: number | null
}

/**
 * Sign a JWT with a test key or secret. `iat` and `exp` are added unless given in `claims` or
 * turned off; the header carries the key's `alg` and `kid`.
 */
export async function signTestToken(key: TestKey | TestSecret, claims: JWTPayload = {}, options: SignTestTokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const payload: JWTPayload = { ...claims }
  if (payload.iat === undefined && options.issuedAt !== null) payload.iat = options.issuedAt ?? now
  if (payload.exp === undefined && options.expiresIn !== null) payload.exp = now + (options.expiresIn ?? 300)
  const header = 'secret' in key ? { alg: key.alg, ...options.header } : { alg: key.alg, kid: key.kid, ...options.header }
  const signer = new SignJWT(payload).setProtectedHeader(header as { alg: string })
  return signer.sign('secret' in key ? new TextEncoder().encode(key.secret) : key.privateKey)
}

function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
}

/**
 * Assemble a compact token from raw parts without any checks: for tests that a server refuses
 * forged tokens (`alg: none`, arrays as payload, bad JSON). A string part is used verbatim
 * (before base64url); anything else is JSON-encoded.
 */
export function forgeTestToken(header: unknown, payload: unknown, signature = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`
}
