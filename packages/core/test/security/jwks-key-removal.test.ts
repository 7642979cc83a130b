import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { startTestIssuer } from '../../src/testing/index.js'
import { authenticator, failed, now } from '../jwt/helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('a key removed from the JWKS stops being accepted after at most remoteKeys.cacheMaxAge (+ cache.maxTtl for a cached token)', () => {
  it('after cache.maxTtl the removed key is still accepted (the JWKS is kept for cacheMaxAge); after cacheMaxAge it is refused', async () => {
    const issuer = await startTestIssuer()
    try {
      const check = authenticator(
        jwtBearer({ algorithms: ['RS256'], jwksUri: issuer.jwksUri, issuer: issuer.issuer, audience: 'api', cache: { maxTtl: 60 }, remoteKeys: { cacheMaxAge: 600_000 } }),
      )
      const token = await issuer.sign({ aud: 'api', exp: now() + 7200 })
      expect((await check(token)).ok).toBe(true)
      await issuer.rotate() // the signing key leaves the set
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
      vi.setSystemTime(Date.now() + 61_000) // past maxTtl: the cache entry is gone
      expect((await check(token)).ok).toBe(true) // still the JWKS fetched before the removal
      vi.setSystemTime(Date.now() + 540_000) // past cacheMaxAge: the set is refetched
      expect(failed(await check(token)).status).toBe(401)
    } finally {
      await issuer.close()
    }
  })

  it('the README states that bound (cacheMaxAge), not maxTtl alone', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
    expect(readme).not.toContain('stops being accepted for\n  cached tokens after at most `maxTtl`')
    expect(readme).toMatch(/removed from the JWKS[^.]*`remoteKeys\.cacheMaxAge`/)
  })
})
