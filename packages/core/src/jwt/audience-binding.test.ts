import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { jwtBearer } from '../schemes/jwt-bearer.js'
import type { RequestLike } from '../types.js'
import { canonicalUri } from '../internal/canonical-uri.js'

const SECRET = 's'.repeat(32)
const key = new TextEncoder().encode(SECRET)
const sign = (aud: unknown) =>
  new SignJWT(aud === undefined ? {} : { aud: aud as string }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://as.test').setExpirationTime('5m').sign(key)
const request = (token: string): RequestLike => ({ method: 'GET', url: '/mcp', headers: { get: (name) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : null) } })

function auth(resource = 'https://api.example.com/mcp') {
  return createAuth({ resource, schemes: { J: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test' }) }, security: [{ J: [] }] })
}

describe('RFC 8707 audience binding: with createAuth({ resource }), JWT schemes without audience expect the resource', () => {
  it('a token for the resource passes, in any canonically equal spelling', async () => {
    const a = auth()
    for (const aud of ['https://api.example.com/mcp', 'HTTPS://API.EXAMPLE.COM/mcp', 'https://api.example.com:443/mcp', ['other', 'https://api.example.com/mcp#x']]) {
      expect((await a.authenticate(request(await sign(aud)))).ok, JSON.stringify(aud)).toBe(true)
    }
  })

  it('a token for another resource, a path that differs, or no aud → 401 invalid_token', async () => {
    const a = auth()
    for (const aud of ['https://other.example.com/mcp', 'https://api.example.com/mcp/', 'https://api.example.com/MCP', 'https://api.example.com', 'api', ['x', 'y'], undefined]) {
      const result = await a.authenticate(request(await sign(aud)))
      expect(result.ok || [result.status, result.code], JSON.stringify(aud)).toEqual([401, 'invalid_token'])
    }
  })

  it('an explicit audience wins over the resource', async () => {
    const a = createAuth({ resource: 'https://api.example.com/mcp', schemes: { J: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test', audience: 'legacy' }) } })
    expect((await a.authenticate(request(await sign('legacy')), [{ J: [] }])).ok).toBe(true)
    expect((await a.authenticate(request(await sign('https://api.example.com/mcp')), [{ J: [] }])).ok).toBe(false)
  })

  it('one scheme cannot be bound to two resources', () => {
    const scheme = jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test' })
    createAuth({ resource: 'https://a.test/', schemes: { J: scheme } })
    expect(() => createAuth({ resource: 'https://a.test', schemes: { J: scheme } })).not.toThrow()
    expect(() => createAuth({ resource: 'https://b.test/', schemes: { J: scheme } })).toThrow(/already takes its audience/)
  })

  it('canonicalUri lower-cases scheme and host, drops default ports and fragments, keeps path case', () => {
    expect(canonicalUri('HTTPS://Example.COM:443/A/%7e/../b#frag')).toBe('https://example.com/A/b')
    expect(canonicalUri('http://example.com')).toBe('http://example.com/')
    expect(canonicalUri('https://example.com/%7e')).toBe('https://example.com/%7E')
    expect(canonicalUri('urn:x')).toBeUndefined()
  })
})
