import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { jwtBearer } from '../schemes/jwt-bearer.js'
import type { RequestLike } from '../types.js'
import { stepUp } from './step-up.js'

const SECRET = 's'.repeat(32)
const key = new TextEncoder().encode(SECRET)
const now = () => Math.floor(Date.now() / 1000)
const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ aud: 'api', ...claims }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://as.test').setExpirationTime('5m').sign(key)
const request = (token: string): RequestLike => ({ method: 'GET', url: '/admin', headers: { get: (name) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : null) } })

const jwt = jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test', audience: 'api' })
const auth = createAuth({
  schemes: { Jwt: jwt, JwtMfa: stepUp(jwt, { acrValues: ['urn:mfa', 'urn:hwk'], maxAge: 300, description: 'A JWT from a recent MFA login' }) },
})

describe('RFC 9470 step-up: stepUp(scheme, { acrValues, maxAge })', () => {
  it('a token with an accepted acr and a recent auth_time passes the stepped-up scheme', async () => {
    const result = await auth.authenticate(request(await sign({ acr: 'urn:mfa', auth_time: now() - 10 })), [{ JwtMfa: [] }])
    expect(result.ok).toBe(true)
  })

  it('a weaker acr, no acr, an old or missing auth_time → 401 insufficient_user_authentication with acr_values and max_age', async () => {
    for (const claims of [{ acr: 'urn:pwd', auth_time: now() }, { auth_time: now() }, { acr: 'urn:mfa', auth_time: now() - 400 }, { acr: 'urn:mfa' }, { acr: 'urn:mfa', auth_time: 'yesterday' }]) {
      const result = await auth.authenticate(request(await sign(claims)), [{ JwtMfa: [] }])
      expect(result.ok || [result.status, result.challenges], JSON.stringify(claims)).toEqual([
        401,
        ['Bearer realm="api", error="insufficient_user_authentication", acr_values="urn:mfa urn:hwk", max_age="300"'],
      ])
    }
  })

  it('the base scheme is unaffected, and other failures keep their own error', async () => {
    expect((await auth.authenticate(request(await sign({ acr: 'urn:pwd' })), [{ Jwt: [] }])).ok).toBe(true)
    const bad = await auth.authenticate(request('x.y.z'), [{ JwtMfa: [] }])
    expect(bad.ok || bad.challenges).toEqual(['Bearer realm="api", error="invalid_token"'])
  })

  it('OpenAPI shows the derived scheme with its own description, the requirement shape unchanged', () => {
    const { components } = auth.openapi({ version: '3.1' })
    expect(components.securitySchemes.JwtMfa).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT from a recent MFA login' })
    expect(auth.operation([{ JwtMfa: [] }]).security).toEqual([{ JwtMfa: [] }])
  })

  it('a policy asking nothing, bad values or unknown options → config error', () => {
    for (const policy of [{}, { acrValues: [] }, { maxAge: -1 }, { maxAge: Infinity }, { acrValues: ['a b'] }, { acr: ['x'] }]) {
      expect(() => stepUp(jwt, policy as never), JSON.stringify(policy)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    }
  })
})
