import { describe, expect, it } from 'vitest'
import { createDemoApp } from '../demo/app.js'
import { DEMO_AUDIENCE, DEMO_ISSUER, demoBindings } from '../demo/credentials.js'

const options = { jwt: { algorithms: ['HS256'] as const, secret: 'a-test-secret-of-at-least-32-bytes!!' }, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE }
const env = demoBindings()

describe('demo: issued API keys', () => {
  it('POST /dev/api-key issues a stored key; GET /pets takes it 5 times a minute, then answers 429 with Retry-After and RateLimit headers', async () => {
    const { app } = createDemoApp({ ...options, devApiKeys: true })
    const issued = await app.request('/dev/api-key', { method: 'POST' }, env)
    expect(issued.status).toBe(201)
    expect(issued.headers.get('cache-control')).toBe('no-store')
    const { key, id, header } = (await issued.json()) as { key: string; id: string; header: string }
    expect(key).toMatch(/^pets_[0-9A-Za-z]{36}$/)
    expect(id).toMatch(/^pets_/)
    for (let i = 0; i < 5; i++) expect((await app.request('/pets', { headers: { [header]: key } }, env)).status).toBe(200)
    const limited = await app.request('/pets', { headers: { [header]: key } }, env)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(limited.headers.get('ratelimit-policy')).toBe('"usage";q=5;w=60')
    expect(limited.headers.get('ratelimit')).toMatch(/^"usage";r=0;t=\d+$/)
    expect(await limited.json()).toMatchObject({ status: 429, code: 'rate_limited' })
    // A key with one character changed is refused (401), never limited.
    const changed = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a')
    expect((await app.request('/pets', { headers: { [header]: changed } }, env)).status).toBe(401)
  })

  it('the endpoint exists only when devApiKeys is set, and the document gives GET /pets a 429 response', async () => {
    const { app } = createDemoApp(options)
    expect((await app.request('/dev/api-key', { method: 'POST' }, env)).status).toBe(404)
    const doc = (await (await app.request('/openapi.json', {}, env)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
    expect(Object.keys(doc.paths['/pets']!.get!.responses)).toContain('429')
    expect(Object.keys(doc.paths['/pets/{id}']!.get!.responses)).not.toContain('429')
    expect(Object.keys(doc.paths)).not.toContain('/dev/api-key')
  })
})
