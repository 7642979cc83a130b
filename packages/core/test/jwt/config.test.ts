import { beforeAll, describe, expect, it } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { jwtBearer, type JwtBearerOptions } from '../../src/schemes/jwt-bearer.js'
import { oauth2 } from '../../src/schemes/oauth2.js'
import { openIdConnect } from '../../src/schemes/open-id-connect.js'
import { createTestKey, signTestToken, type TestKey } from '../../src/testing/index.js'
import { authenticator } from './helpers.js'

const base = { issuer: 'https://issuer.test', audience: 'api' }
const secret32 = 's'.repeat(32)
let rsa: TestKey

beforeAll(async () => {
  rsa = await createTestKey('RS256')
})

function refused(options: unknown, message: RegExp): void {
  expect(() => jwtBearer(options as JwtBearerOptions)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringMatching(message) }))
}

describe('jwtBearer configuration is checked at creation (ERR_AUTHSPEC_CONFIG)', () => {
  it('algorithms missing, empty, "none" or unknown → refused', () => {
    refused({ ...base, secret: secret32 }, /algorithms is required/)
    refused({ ...base, secret: secret32, algorithms: [] }, /algorithms is required/)
    refused({ ...base, secret: secret32, algorithms: ['none'] }, /unsupported algorithm "none"/)
    refused({ ...base, secret: secret32, algorithms: ['HS1'] }, /unsupported algorithm/)
  })

  it('clockTolerance Infinity, NaN, negative or above 300 s → refused', () => {
    for (const clockTolerance of [Infinity, NaN, -1, 301, '5']) {
      refused({ ...base, algorithms: ['HS256'], secret: secret32, clockTolerance }, /clockTolerance/)
    }
    expect(() => jwtBearer({ ...base, algorithms: ['HS256'], secret: secret32, clockTolerance: 300 })).not.toThrow()
  })

  it('an empty secret → refused', () => {
    refused({ ...base, algorithms: ['HS256'], secret: '' }, /secret is empty/)
    refused({ ...base, algorithms: ['HS256'], secret: new Uint8Array(0) }, /secret is empty/)
  })

  it('a secret shorter than the hash size → refused (HS256: 32, HS384: 48, HS512: 64 bytes)', () => {
    refused({ ...base, algorithms: ['HS256'], secret: 's'.repeat(31) }, /31 bytes; HS256 need at least 32/)
    refused({ ...base, algorithms: ['HS384'], secret: 's'.repeat(47) }, /need at least 48/)
    refused({ ...base, algorithms: ['HS256', 'HS512'], secret: 's'.repeat(63) }, /need at least 64/)
    expect(() => jwtBearer({ ...base, algorithms: ['HS512'], secret: new Uint8Array(64) })).not.toThrow()
  })

  it('HS* with a JWKS or a public key, or an asymmetric algorithm with a secret → refused', () => {
    refused({ ...base, algorithms: ['HS256'], jwksUri: 'https://issuer.test/jwks' }, /HMAC algorithms \(HS256\) need a secret/)
    refused({ ...base, algorithms: ['RS256', 'HS256'], publicKey: rsa.publicPem }, /need a secret/)
    refused({ ...base, algorithms: ['RS256'], secret: secret32 }, /verifies HMAC \(HS\*\) algorithms only/)
    refused({ ...base, algorithms: ['HS256'], secret: rsa.publicPem }, /looks like a PEM key/)
  })

  it('no key source, or more than one → refused', () => {
    refused({ ...base, algorithms: ['RS256'] }, /exactly one of secret, publicKey or jwksUri/)
    refused({ ...base, algorithms: ['RS256'], publicKey: rsa.publicPem, jwksUri: 'https://x.test/jwks' }, /exactly one/)
    refused({ ...base, algorithms: ['RS256'], jwksUri: 'ftp://x.test/jwks' }, /jwksUri must be an absolute http\(s\) URL/)
  })

  it('issuer and audience are required unless explicitly false', () => {
    refused({ algorithms: ['HS256'], secret: secret32, audience: 'api' }, /issuer is required/)
    // Without audience the scheme waits for createAuth({ resource }) (RFC 8707); with no resource there, it is refused.
    expect(() => createAuth({ schemes: { J: jwtBearer({ algorithms: ['HS256'], secret: secret32, issuer: 'x' }) } })).toThrow(
      expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringMatching(/audience is required/) }),
    )
    refused({ algorithms: ['HS256'], secret: secret32, issuer: '', audience: 'api' }, /issuer must be/)
    expect(() => jwtBearer({ algorithms: ['HS256'], secret: secret32, issuer: false, audience: false })).not.toThrow()
  })

  it('a PEM with a byte-order mark → refused with a clear error (the BOM is not stripped)', () => {
    refused({ ...base, algorithms: ['RS256'], publicKey: `\uFEFF${rsa.publicPem}` }, /byte-order mark/)
  })

  it('a PEM with leading text → refused; leading whitespace or newlines are fine', async () => {
    refused({ ...base, algorithms: ['RS256'], publicKey: `my key:\n${rsa.publicPem}` }, /found leading text/)
    const scheme = jwtBearer({ ...base, algorithms: ['RS256'], publicKey: `\n   ${rsa.publicPem}` })
    const result = await authenticator(scheme)(await signTestToken(rsa, { iss: base.issuer, aud: 'api' }))
    expect(result.ok).toBe(true)
  })

  it('a JWK or CryptoKey public key that cannot verify the algorithms → refused', async () => {
    refused({ ...base, algorithms: ['ES256'], publicKey: rsa.publicJwk }, /RSA RS256 publicKey JWK cannot verify ES256/)
    refused({ ...base, algorithms: ['RS256', 'PS256'], publicKey: rsa.publicJwk }, /cannot verify PS256/)
    refused({ ...base, algorithms: ['RS384'], publicKey: rsa.publicKey }, /RSASSA-PKCS1-v1_5 publicKey cannot verify RS384/)
    const ec = await createTestKey('ES384')
    refused({ ...base, algorithms: ['ES256'], publicKey: ec.publicKey }, /ECDSA publicKey cannot verify ES256/)
    expect(() => jwtBearer({ ...base, algorithms: ['ES384'], publicKey: ec.publicKey })).not.toThrow()
    expect(() => jwtBearer({ ...base, algorithms: ['RS256'], publicKey: rsa.publicKey })).not.toThrow()
  })

  it('a private key given as publicKey → refused', () => {
    refused({ ...base, algorithms: ['RS256'], publicKey: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----' }, /private key/)
    refused({ ...base, algorithms: ['RS256'], publicKey: rsa.privateJwk }, /must be a public key/)
  })

  it('a public key that cannot be imported → verification rejects with ERR_AUTHSPEC_CONFIG (never a grant), and warmup reports it at start-up', async () => {
    const scheme = jwtBearer({ ...base, algorithms: ['RS256'], publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' })
    await expect(scheme.warmup!()).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
    await expect(authenticator(scheme)(await signTestToken(rsa, { iss: base.issuer, aud: 'api' }))).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
  })

  it('bad cache, maxTokenLength, remoteKeys options → refused', () => {
    refused({ ...base, algorithms: ['HS256'], secret: secret32, cache: { max: 0 } }, /cache.max/)
    refused({ ...base, algorithms: ['HS256'], secret: secret32, cache: { maxTtl: Infinity } }, /cache.maxTtl/)
    refused({ ...base, algorithms: ['HS256'], secret: secret32, maxTokenLength: 1.5 }, /maxTokenLength/)
    refused({ ...base, algorithms: ['RS256'], jwksUri: 'https://x.test/j', remoteKeys: { timeoutDuration: 0 } }, /timeoutDuration/)
    refused({ ...base, algorithms: ['RS256'], jwksUri: 'https://x.test/j', remoteKeys: { store: {} } }, /store must have get/)
  })
})

describe('oauth2 and openIdConnect configuration', () => {
  const flows = { clientCredentials: { tokenUrl: '/token', scopes: { 'pets:read': 'Read pets' } } }
  it('oauth2 needs flows and exactly one of token or verify', () => {
    const token = { ...base, algorithms: ['HS256' as const], secret: secret32 }
    expect(() => oauth2({ flows: {}, token })).toThrow(/at least one flow/)
    expect(() => oauth2({ flows: { magic: { scopes: {} } } as never, token })).toThrow(/unknown flow "magic"/)
    expect(() => oauth2({ flows: { clientCredentials: { scopes: {} } } as never, token })).toThrow(/needs tokenUrl/)
    expect(() => oauth2({ flows } as never)).toThrow(/exactly one of token/)
    expect(() => oauth2({ flows, token, verify: () => ({}) } as never)).toThrow(/exactly one of token/)
    expect(() => oauth2({ flows, token: { ...token, secret: 'short' } })).toThrow(/need at least 32/)
  })

  it('openIdConnect needs an http(s) discovery URL, algorithms and an audience; keys come only from discovery', () => {
    const url = 'https://issuer.test/.well-known/openid-configuration'
    expect(() => openIdConnect({ openIdConnectUrl: 'not a url', algorithms: ['RS256'], audience: 'api' })).toThrow(/openIdConnectUrl/)
    expect(() => openIdConnect({ openIdConnectUrl: url, algorithms: [], audience: 'api' })).toThrow(/algorithms is required/)
    expect(() => createAuth({ schemes: { O: openIdConnect({ openIdConnectUrl: url, algorithms: ['RS256'] }) } })).toThrow(/audience is required/)
    expect(() => openIdConnect({ openIdConnectUrl: url, algorithms: ['HS256'], audience: 'api' })).toThrow(/cannot be verified with a JWKS/)
    expect(() => openIdConnect({ openIdConnectUrl: url, algorithms: ['RS256'], audience: 'api', jwksUri: 'https://x' } as never)).toThrow(/discovery document's jwks_uri/)
    expect(() => openIdConnect({ openIdConnectUrl: 'https://issuer.test/config', algorithms: ['RS256'], audience: 'api' })).toThrow(/give the expected issuer/)
    expect(() => openIdConnect({ openIdConnectUrl: 'https://issuer.test/config', issuer: 'https://issuer.test', algorithms: ['RS256'], audience: 'api' })).not.toThrow()
  })
})
