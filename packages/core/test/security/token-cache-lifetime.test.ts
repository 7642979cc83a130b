import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { createTestSecret, signTestToken } from '../../src/testing/keys.js'

const secret = createTestSecret('HS256')
const request = (token: string): Request => new Request('http://x/', { headers: { authorization: `Bearer ${token}` } })

afterEach(() => {
  vi.useRealTimers()
})

describe('a cached token does not outlive its limits', () => {
  it('maxTokenAge: a token accepted (and cached) while young is refused once iat + maxTokenAge + tolerance has passed', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] })
    const auth = createAuth({
      schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: secret.secret, issuer: false, audience: false, maxTokenAge: 60, cache: { maxTtl: 3600 } }) },
    })
    const token = await signTestToken(secret, {}, { expiresIn: 3600 })
    expect((await auth.authenticate(request(token), [{ Jwt: [] }])).ok).toBe(true)
    vi.setSystemTime(new Date('2030-01-01T00:01:04Z')) // 64 s: within 60 + 5 s tolerance
    expect((await auth.authenticate(request(token), [{ Jwt: [] }])).ok).toBe(true)
    vi.setSystemTime(new Date('2030-01-01T00:01:06Z')) // 66 s
    const late = await auth.authenticate(request(token), [{ Jwt: [] }])
    expect(late.ok).toBe(false)
    if (!late.ok) expect(late.status).toBe(401)
  })

  it('exp: refused one second past exp + tolerance although maxTtl is an hour', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] })
    const auth = createAuth({ schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: secret.secret, issuer: false, audience: false, cache: { maxTtl: 3600 } }) } })
    const token = await signTestToken(secret, {}, { expiresIn: 10 })
    expect((await auth.authenticate(request(token), [{ Jwt: [] }])).ok).toBe(true)
    vi.setSystemTime(new Date('2030-01-01T00:00:16Z'))
    expect((await auth.authenticate(request(token), [{ Jwt: [] }])).ok).toBe(false)
  })
})
