// Shared inputs of every benchmark: keys and tokens are generated once per run and handed to
// the server child processes through a JSON file (AUTHSPEC_BENCH_FIXTURES), so that the load
// generator, the servers and the micro benchmarks all use the very same credentials.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT, importJWK } from 'jose'

export const ISSUER = 'https://issuer.bench.local/'
export const AUDIENCE = 'bench-api'
export const API_KEY_HEADER = 'x-api-key'
export const ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA']

function keyPair(type, options) {
  const { publicKey, privateKey } = generateKeyPairSync(type, options)
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicJwk: publicKey.export({ format: 'jwk' }),
    privateJwk: privateKey.export({ format: 'jwk' }),
  }
}

async function sign(alg, key, kid) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ scope: 'pets:read pets:write' })
    .setProtectedHeader(kid === undefined ? { alg, typ: 'JWT' } : { alg, typ: 'JWT', kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('user-42')
    .setIssuedAt(now - 5)
    .setExpirationTime(now + 6 * 3600)
    .sign(key)
}

/** Generate fresh keys and one valid token per algorithm. */
export async function createFixtures() {
  const secret = randomBytes(32).toString('base64url')
  const rsa = keyPair('rsa', { modulusLength: 2048 })
  const ec = keyPair('ec', { namedCurve: 'P-256' })
  const ed = keyPair('ed25519')
  const keys = {
    HS256: { secret },
    RS256: { ...rsa, kid: 'rs-1' },
    ES256: { ...ec, kid: 'es-1' },
    EdDSA: { ...ed, kid: 'ed-1' },
  }
  const tokens = {
    HS256: await sign('HS256', new TextEncoder().encode(secret)),
    RS256: await sign('RS256', await importJWK({ ...rsa.privateJwk, alg: 'RS256' }, 'RS256'), 'rs-1'),
    ES256: await sign('ES256', await importJWK({ ...ec.privateJwk, alg: 'ES256' }, 'ES256'), 'es-1'),
    EdDSA: await sign('EdDSA', await importJWK({ ...ed.privateJwk, alg: 'EdDSA' }, 'EdDSA'), 'ed-1'),
  }
  return {
    apiKey: `ak_${randomBytes(24).toString('base64url')}`,
    basic: { username: 'bench-user', password: randomBytes(18).toString('base64url') },
    opaque: `op_${randomBytes(24).toString('base64url')}`,
    keys,
    tokens,
  }
}

/** The public JWKS of the asymmetric keys. */
export function jwks(fixtures) {
  const keys = []
  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    const { publicJwk, kid } = fixtures.keys[alg]
    keys.push({ ...publicJwk, kid, alg, use: 'sig' })
  }
  return { keys }
}

/** Write fixtures to a temporary file and return its path (for child processes); removed on exit. */
export function saveFixtures(fixtures) {
  const dir = mkdtempSync(join(tmpdir(), 'authspec-bench-'))
  const file = join(dir, 'fixtures.json')
  writeFileSync(file, JSON.stringify(fixtures), { mode: 0o600 })
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return file
}

/** Fixtures of this run: from AUTHSPEC_BENCH_FIXTURES when a parent created them, else fresh. */
export async function loadFixtures() {
  const file = process.env.AUTHSPEC_BENCH_FIXTURES
  if (file !== undefined && file !== '') return JSON.parse(readFileSync(file, 'utf8'))
  return createFixtures()
}
