import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { createTestKey, createTestSecret, forgeTestToken, signTestToken, startTestIssuer, type TestIssuer, type TestKey } from '../../src/testing/index.js'
import type { AuthResult } from '../../src/result.js'
import { authenticator, b64url, failed, now, rawHs256 } from './helpers.js'

const ISS = 'https://issuer.test'
const AUD = 'api'
const secret = createTestSecret('HS256')
let rsa: TestKey
let ec: TestKey
let attacker: TestKey
let issuer: TestIssuer
let hs: ReturnType<typeof authenticator>
let rs: ReturnType<typeof authenticator>
let es: ReturnType<typeof authenticator>
let jwks: ReturnType<typeof authenticator>

function rejected(result: AuthResult, status: number, detail?: string): void {
  const failure = failed(result)
  expect(failure.status).toBe(status)
  if (status === 401) expect(failure.challenges[0]).toContain('error="invalid_token"')
  if (detail !== undefined) expect(failure.problem.detail).toContain(detail)
}

const hsClaims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ iss: ISS, aud: AUD, sub: 'u1', iat: now(), exp: now() + 60, ...extra })
const rawClaims = (json: string): string => rawHs256('{"alg":"HS256","typ":"JWT"}', json, secret.secret)

beforeAll(async () => {
  ;[rsa, ec, attacker] = await Promise.all([createTestKey('RS256'), createTestKey('ES256'), createTestKey('RS256')])
  issuer = await startTestIssuer({ keys: [rsa] })
  const common = { issuer: ISS, audience: AUD, cache: false as const }
  hs = authenticator(jwtBearer({ algorithms: ['HS256'], secret: secret.secret, ...common }))
  rs = authenticator(jwtBearer({ algorithms: ['RS256'], publicKey: rsa.publicPem, ...common }))
  es = authenticator(jwtBearer({ algorithms: ['ES256'], publicKey: ec.publicJwk, ...common }))
  jwks = authenticator(jwtBearer({ algorithms: ['RS256'], jwksUri: issuer.jwksUri, ...common, remoteKeys: { cooldownDuration: 0 } }))
})

afterAll(async () => {
  await issuer?.close()
})

describe('positive controls (the attack tests below can fail)', () => {
  it('a correctly signed token passes every scheme', async () => {
    expect((await hs(await signTestToken(secret, hsClaims()))).ok).toBe(true)
    expect((await rs(await signTestToken(rsa, hsClaims()))).ok).toBe(true)
    expect((await es(await signTestToken(ec, hsClaims()))).ok).toBe(true)
    expect((await jwks(await signTestToken(rsa, hsClaims()))).ok).toBe(true)
  })
})

describe('attack: alg none', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    it(`alg "${alg}" with an empty signature → 401 on HMAC, RSA, EC and JWKS schemes`, async () => {
      const token = forgeTestToken({ alg, typ: 'JWT' }, hsClaims())
      for (const check of [hs, rs, es, jwks]) rejected(await check(token), 401, 'algorithm not allowed')
    })
  }
})

describe('attack: HS256 signed with the public key as the HMAC secret', () => {
  it('RSA public key (PEM and JWK text) as the secret → 401 (HS256 is not an allowed algorithm)', async () => {
    for (const material of [rsa.publicPem, JSON.stringify(rsa.publicJwk)]) {
      const token = rawHs256(`{"alg":"HS256","kid":"${rsa.kid}"}`, JSON.stringify(hsClaims()), material)
      rejected(await rs(token), 401, 'algorithm not allowed')
      rejected(await jwks(token), 401, 'algorithm not allowed')
    }
  })

  it('EC public key as the secret → 401', async () => {
    const token = createHmacToken(JSON.stringify(ec.publicJwk))
    rejected(await es(token), 401, 'algorithm not allowed')
  })
})

function createHmacToken(material: string): string {
  return rawHs256('{"alg":"HS256"}', JSON.stringify(hsClaims()), material)
}

describe('attack: a JWKS key without "alg"', () => {
  it('an RSA key without alg is never used as an HMAC secret, and an oct key in the set is never used', async () => {
    const { alg: _alg, ...noAlg } = rsa.publicJwk
    const octSecret = 'k'.repeat(40)
    issuer.setJwks({ keys: [noAlg, { kty: 'oct', kid: 'oct-1', k: b64url(octSecret) }] })
    try {
      const viaModulus = rawHs256(`{"alg":"HS256","kid":"${rsa.kid}"}`, JSON.stringify(hsClaims()), String(noAlg.n))
      rejected(await jwks(viaModulus), 401, 'algorithm not allowed')
      const viaOct = rawHs256('{"alg":"HS256","kid":"oct-1"}', JSON.stringify(hsClaims()), octSecret)
      rejected(await jwks(viaOct), 401)
      // An RS256 token signed with the alg-less RSA key still verifies (kty fits the allowed alg).
      expect((await jwks(await signTestToken(rsa, hsClaims()))).ok).toBe(true)
      // The same alg-less key cannot be used with an algorithm the server did not allow.
      const ps = jwtBearer({ algorithms: ['ES256'], jwksUri: issuer.jwksUri, issuer: ISS, audience: AUD, cache: false })
      rejected(await authenticator(ps)(await signTestToken(rsa, hsClaims())), 401, 'algorithm not allowed')
    } finally {
      issuer.setJwks(undefined)
    }
  })
})

describe('attack: keys embedded in or referenced by the header', () => {
  let hits = 0
  let trap: Server
  let trapUrl = ''
  beforeAll(async () => {
    trap = createServer((_req, res) => {
      hits++
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [attacker.publicJwk] }))
    })
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve))
    trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/jwks.json`
  })
  afterAll(async () => {
    trap.closeAllConnections()
    await new Promise((resolve) => trap.close(resolve))
  })

  it('embedded "jwk" (attacker key, signed by it) → 401', async () => {
    const token = await signTestToken(attacker, hsClaims(), { header: { jwk: attacker.publicJwk, kid: undefined } })
    for (const check of [rs, jwks]) rejected(await check(token), 401)
  })

  it('"jku" and "x5u" pointing at an attacker server → 401 and the URL is never fetched', async () => {
    for (const header of [{ jku: trapUrl, kid: attacker.kid }, { x5u: trapUrl, kid: attacker.kid }]) {
      const token = await signTestToken(attacker, hsClaims(), { header })
      for (const check of [rs, jwks]) rejected(await check(token), 401)
    }
    expect(hits).toBe(0)
  })

  it('"x5c" with an attacker certificate chain → 401', async () => {
    const token = await signTestToken(attacker, hsClaims(), { header: { x5c: [Buffer.from('not a cert').toString('base64')] } })
    for (const check of [rs, jwks]) rejected(await check(token), 401)
  })
})

describe('attack: header parameters that change processing', () => {
  it('an unknown "crit" extension → 401', async () => {
    const token = rawHs256('{"alg":"HS256","crit":["urn:x-unknown"],"urn:x-unknown":true}', JSON.stringify(hsClaims()), secret.secret)
    rejected(await hs(token), 401, 'unsupported token')
  })

  it('"b64": false (unencoded payload, RFC 7797) → 401', async () => {
    const header = b64url('{"alg":"HS256","b64":false,"crit":["b64"]}')
    const payload = '{"sub":"u1"}'
    const mac = createHmac('sha256', secret.secret).update(`${header}.${payload}`).digest('base64url')
    rejected(await hs(`${header}.${b64url(payload)}.${mac}`), 401)
    rejected(await hs(`${header}..${mac}`), 401)
  })
})

describe('attack: audience and issuer', () => {
  it('wrong "aud" (string and array) and missing "aud" → 401; an array naming the audience passes', async () => {
    rejected(await hs(await signTestToken(secret, hsClaims({ aud: 'other' }))), 401, 'aud claim invalid')
    rejected(await hs(await signTestToken(secret, hsClaims({ aud: ['other', 'another'] }))), 401, 'aud claim invalid')
    rejected(await hs(await signTestToken(secret, hsClaims({ aud: undefined }))), 401, 'aud claim missing')
    expect((await hs(await signTestToken(secret, hsClaims({ aud: ['other', AUD] })))).ok).toBe(true)
  })

  it('wrong "iss", "iss" as an array (even containing the issuer) and missing "iss" → 401', async () => {
    rejected(await hs(await signTestToken(secret, hsClaims({ iss: 'https://evil.test' }))), 401, 'iss claim invalid')
    rejected(await hs(await signTestToken(secret, hsClaims({ iss: ['https://evil.test', ISS] }))), 401, 'iss claim invalid')
    rejected(await hs(await signTestToken(secret, hsClaims({ iss: undefined }))), 401, 'iss claim missing')
  })
})

describe('attack: numeric date claims must be finite numbers', () => {
  const base = (): string => `"iss":"${ISS}","aud":"${AUD}","sub":"u1"`
  for (const [label, value] of [['0', '0'], ['a string', '"9999999999"'], ['1e400', '1e400'], ['null', 'null'], ['negative', '-1']]) {
    it(`exp given as ${label} → 401`, async () => {
      rejected(await hs(rawClaims(`{${base()},"exp":${value}}`)), 401)
    })
  }
  for (const [label, value] of [['a string', '"0"'], ['1e400', '1e400'], ['null', 'null'], ['negative', '-1']]) {
    it(`nbf given as ${label} → 401`, async () => {
      rejected(await hs(rawClaims(`{${base()},"exp":${now() + 60},"nbf":${value}}`)), 401)
    })
  }
  it('nbf given as 0 is a date in 1970, so the token is valid (0 is not mistaken for "absent")', async () => {
    expect((await hs(rawClaims(`{${base()},"exp":${now() + 60},"nbf":0}`))).ok).toBe(true)
  })
  it('iat given as 1e400 → 401', async () => {
    rejected(await hs(rawClaims(`{${base()},"exp":${now() + 60},"iat":1e400}`)), 401, 'iat claim invalid')
  })
})

describe('attack: expiry', () => {
  it('expired beyond the 5 s default tolerance → 401 "token expired"; within it → accepted', async () => {
    rejected(await hs(await signTestToken(secret, hsClaims({ exp: now() - 10 }))), 401, 'token expired')
    expect((await hs(await signTestToken(secret, hsClaims({ exp: now() - 2 })))).ok).toBe(true)
  })
  it('not yet valid beyond the tolerance → 401', async () => {
    rejected(await hs(await signTestToken(secret, hsClaims({ nbf: now() + 60 }))), 401, 'token not yet valid')
  })
})

describe('attack: malformed tokens', () => {
  it('a payload that is an array, a scalar or not JSON (correctly signed) → 401', async () => {
    for (const payload of ['[1,2,3]', '42', '"claims"', 'null', '{"sub":', 'not json']) {
      rejected(await hs(rawClaims(payload)), 401, 'token malformed')
    }
  })

  it('bad base64url in a segment → 401 (characters outside the b64token grammar → 400)', async () => {
    const token = await signTestToken(secret, hsClaims())
    const [h, p, s] = token.split('.')
    rejected(await hs(`${h}.${p!.slice(0, -2)}+/.${s}`), 401)
    rejected(await hs(`${h}.${p}.${s}+`), 401)
    rejected(await hs(`${h}==.${p}.${s}`), 400)
    rejected(await hs(`${h}.${p}.${s}!`), 400)
  })

  it('five segments (a JWE) → 401', async () => {
    const jwe = `${b64url('{"alg":"dir","enc":"A256GCM"}')}..${b64url('iv')}.${b64url('ciphertext')}.${b64url('tag')}`
    rejected(await hs(jwe), 401, 'token malformed')
    rejected(await jwks(jwe), 401, 'token malformed')
  })

  it('a 1 MB token is refused fast (401 "token too large", no decoding)', async () => {
    const token = `${b64url('{"alg":"HS256"}')}.${'A'.repeat(1 << 20)}.sig`
    const started = performance.now()
    rejected(await hs(token), 401, 'token too large')
    expect(performance.now() - started).toBeLessThan(250)
  })

  it('a wrong signature → 401 "signature invalid"', async () => {
    const other = createTestSecret('HS256')
    rejected(await hs(await signTestToken(other, hsClaims())), 401, 'signature invalid')
    rejected(await rs(await signTestToken(attacker, hsClaims())), 401, 'signature invalid')
  })
})
