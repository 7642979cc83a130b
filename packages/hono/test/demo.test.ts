import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createDemoApp } from '../demo/app.js'
import { DEMO_AUDIENCE, DEMO_CREDENTIALS, DEMO_ISSUER, demoBindings } from '../demo/credentials.js'
import { swaggerDocs } from '../demo/docs-page.js'

const SECRET = 'a-test-secret-of-at-least-32-bytes!!'
const devTokens = { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret }
const { app } = createDemoApp({
  jwt: { algorithms: ['HS256'], secret: SECRET },
  issuer: DEMO_ISSUER,
  audience: DEMO_AUDIENCE,
  devTokens,
  docs: swaggerDocs({ css: 'body{}', bundle: '/* bundle */' }, devTokens),
})
const env = demoBindings()
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
})

/** Every `$ref` of a document, resolved against it. */
function unresolvedRefs(doc: unknown): string[] {
  const missing: string[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (node === null || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const target = value.slice(2).split('/').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], doc)
        if (target === undefined) missing.push(value)
      } else visit(value)
    }
  }
  visit(doc)
  return missing
}

describe('demo app', () => {
  it('/openapi.json is valid OpenAPI 3.1, its $refs resolve, and it documents every scheme and guard', async () => {
    const res = await app.request('/openapi.json', {}, env)
    const doc = (await res.json()) as { paths: Record<string, Record<string, { security?: unknown }>>; components: { securitySchemes: Record<string, unknown> } }
    const result = await new Validator().validate(structuredClone(doc) as never)
    expect(result.errors ?? []).toEqual([])
    expect(unresolvedRefs(doc)).toEqual([])
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['ApiKeyAuth', 'BasicAuth', 'OpaqueToken', 'JwtBearer', 'OAuth2', 'IssuedKey'])
    expect(doc.paths['/pets']!.get!.security).toHaveLength(6)
    expect(doc.paths['/pets/{id}']!.delete!.security).toEqual([{ ApiKeyAuth: [], BasicAuth: [] }])
    expect(doc.paths['/health']!.get!.security).toBeUndefined()
    expect(Object.keys(doc.paths)).not.toContain('/docs')
    expect(Object.keys(doc.paths)).not.toContain('/dev/token')
  })

  it('the dev token endpoint issues a JWT the JwtBearer and OAuth2 routes accept, with the asked scopes', async () => {
    const res = await app.request('/dev/token', form({ grant_type: 'client_credentials', scope: 'pets:read' }, { Authorization: `Basic ${btoa(`${devTokens.clientId}:${devTokens.clientSecret}`)}` }), env)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { access_token: token, scope } = (await res.json()) as { access_token: string; scope: string }
    expect(scope).toBe('pets:read')
    const claims = await app.request('/token', { headers: { Authorization: `Bearer ${token}` } }, env)
    expect(claims.status).toBe(200)
    expect(await claims.json()).toMatchObject({ claims: { iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, sub: devTokens.clientId }, scopes: ['pets:read'] })
    const write = await app.request('/pets', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{"name":"x"}' }, env)
    expect(write.status).toBe(403)
  })

  it('the dev token endpoint refuses a wrong client secret (401), another grant type and unknown scopes (400)', async () => {
    const wrong = await app.request('/dev/token', form({ grant_type: 'client_credentials', client_id: devTokens.clientId, client_secret: 'nope' }), env)
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({ error: 'invalid_client' })
    const grant = await app.request('/dev/token', form({ grant_type: 'password', client_id: devTokens.clientId, client_secret: devTokens.clientSecret }), env)
    expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' })
    const scope = await app.request('/dev/token', form({ grant_type: 'client_credentials', client_id: devTokens.clientId, client_secret: devTokens.clientSecret, scope: 'admin' }), env)
    expect(scope.status).toBe(400)
  })

  it('/docs loads Swagger UI from the app itself, with persistAuthorization', async () => {
    const html = await (await app.request('/docs', {}, env)).text()
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js">')
    expect(html).not.toMatch(/(src|href)="https?:/)
    const init = await (await app.request('/docs/init.js', {}, env)).text()
    expect(init).toContain('persistAuthorization: true')
    expect(init).toContain("url: '/openapi.json'")
    expect((await app.request('/docs/swagger-ui.css', {}, env)).headers.get('content-type')).toMatch(/^text\/css/)
    expect((await app.request('/docs/nope.js', {}, env)).status).toBe(404)
  })
})
