import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ISSUER } from '../demo/credentials.js'
import { startDemo, type RunningDemo } from '../demo/server.js'

let demo: RunningDemo
beforeAll(async () => {
  demo = await startDemo({ port: 0 })
})
afterAll(() => demo?.close())

/** Every challenge of a `WWW-Authenticate` value list, split where a new auth-scheme starts. */
const challenges = (header: string | null): string[] => (header ?? '').split(/, (?=[A-Za-z]+ [a-z_]+=)/)

describe('the Hono demo as an OAuth 2.0 protected resource (RFC 9728)', () => {
  it('GET /.well-known/oauth-protected-resource → 200 with resource (the server URL) and authorization_servers', async () => {
    const response = await fetch(`${demo.url}/.well-known/oauth-protected-resource`)
    expect(response.status).toBe(200)
    const metadata = (await response.json()) as Record<string, unknown>
    expect(metadata).toMatchObject({ resource: demo.url, authorization_servers: [DEMO_ISSUER], scopes_supported: ['pets:read', 'pets:write'] })
  })

  it('every 401 Bearer challenge of every guarded route names the metadata in resource_metadata', async () => {
    const metadata = `resource_metadata="${demo.url}/.well-known/oauth-protected-resource"`
    let bearer = 0
    for (const [method, path] of [['GET', '/pets'], ['POST', '/pets'], ['GET', '/session'], ['GET', '/token'], ['GET', '/stats'], ['GET', '/pets/1'], ['GET', '/me']] as const) {
      for (const authorization of [undefined, 'Bearer not-a-valid-token']) {
        const response = await fetch(demo.url + path, { method, headers: authorization === undefined ? {} : { authorization } })
        expect(response.status, `${method} ${path}`).toBe(401)
        for (const challenge of challenges(response.headers.get('www-authenticate'))) {
          if (!challenge.startsWith('Bearer ')) continue
          bearer++
          expect(challenge, `${method} ${path}`).toContain(metadata)
        }
      }
    }
    expect(bearer).toBeGreaterThanOrEqual(10)
  })
})
