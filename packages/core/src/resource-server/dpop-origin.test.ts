import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { httpBasic } from '../schemes/http-basic.js'
import { jwtBearer } from '../schemes/jwt-bearer.js'
import { requireDpopOrigin } from './dpop-origin.js'

const jwt = (dpop?: 'allowed' | { mode: 'required'; origin: string }) =>
  jwtBearer({ algorithms: ['HS256'], secret: 's'.repeat(32), issuer: 'https://as.test', audience: 'api', ...(dpop === undefined ? {} : { dpop }) })

describe('requireDpopOrigin (for adapters that see only the request path)', () => {
  it('refuses the named DPoP schemes that have neither dpop.origin nor the auth resource, listing them all', () => {
    const auth = createAuth({ schemes: { A: jwt('allowed'), B: jwt('allowed'), C: jwt({ mode: 'required', origin: 'https://api.example.com' }), Plain: jwt(), Basic: httpBasic({ verify: () => ({}) }) } })
    expect(() => requireDpopOrigin(auth, 'here')).toThrow(/^here: schemes "A", "B" check DPoP proofs/)
    expect(() => requireDpopOrigin(auth, 'here', ['B', 'B'])).toThrow(/^here: scheme "B" checks DPoP proofs/)
    expect(() => requireDpopOrigin(auth, 'here', ['C', 'Plain', 'Basic', 'Unknown'])).not.toThrow()
  })

  it("the scheme's dpop.origin is its own, else the resource origin createAuth gave it", () => {
    const scheme = jwtBearer({ algorithms: ['HS256'], secret: 's'.repeat(32), issuer: 'https://as.test', dpop: 'allowed' })
    expect(scheme.dpop?.origin).toBeUndefined()
    const auth = createAuth({ resource: 'https://API.example.com:443/mcp', schemes: { Jwt: scheme } })
    expect(auth.schemes.Jwt.dpop?.origin).toBe('https://api.example.com')
    expect(() => requireDpopOrigin(auth, 'here')).not.toThrow()
    expect(jwt({ mode: 'required', origin: 'https://api.example.com/' }).dpop?.origin).toBe('https://api.example.com')
  })
})
